/** Every benchmark by name: the harness's own (run.ts) and Guardyn's. */
import { registerBench, runBench } from './run.ts';
import { benchSend } from './send.ts';
import { benchGroup } from './group.ts';
import { benchAuth } from './auth.ts';
import { benchMedia } from './media.ts';
import { benchHistory } from './history.ts';
import { benchRealtime } from './realtime.ts';
import { benchAudit } from './audit.ts';
import { benchTikv } from './tikv.ts';
import { benchStores } from './stores.ts';
import { benchCluster } from './cluster.ts';
import { benchPartitions } from './partitions.ts';
import { benchGrpcWeb } from './grpc-web.ts';
import { benchViews } from './views.ts';
import { benchSockets } from './sockets.ts';
import { benchUp } from './up.ts';
import { benchCalls } from './calls.ts';

registerBench('send', benchSend);
registerBench('auth', benchAuth);
registerBench('group', benchGroup);
registerBench('media', benchMedia);
registerBench('history', benchHistory);
registerBench('realtime', benchRealtime);
registerBench('audit', benchAudit);
registerBench('tikv', benchTikv);
registerBench('stores', benchStores);
registerBench('cluster', benchCluster);
registerBench('partitions', benchPartitions);
registerBench('grpc-web', benchGrpcWeb);
registerBench('views', benchViews);
registerBench('sockets', benchSockets);
registerBench('up', benchUp);
registerBench('calls', benchCalls);

export { runBench };
