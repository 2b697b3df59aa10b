/**
 * Offline checks of the deployment (ops/): every manifest parses and validates
 * against the Kubernetes schemas (kubernetes-models), every Service and port of
 * the deployment's port map is there and leads to a container port, the Guardyn
 * roles carry their environment, probes, resources and PDBs, the NetworkPolicies
 * keep data and admin ports inside the cluster, and the Envoy, compose, k3d and
 * container build files parse and agree with the manifests.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  OPS_DIR,
  REPO_DIR,
  loadResources,
  readKustomization,
  readYaml,
  readYamlDocuments,
  referencedFiles,
  selects,
  validateManifest,
  type Container,
  type Manifest,
} from './manifests.ts';
import { DEFAULT_DENIED_PEER_IPS } from '../../runtime/config-turn.ts';

const BASE = path.join(OPS_DIR, 'k8s', 'base');
const K3D = path.join(OPS_DIR, 'k8s', 'overlays', 'k3d');

/** The deployment's port map: namespace/Service → ports. */
const PORT_MAP: Record<string, number[]> = {
  'apps/auth-service': [50051],
  'apps/messaging-service': [50052, 8081],
  'apps/presence-service': [50053],
  'apps/media-service': [50054],
  'apps/notification-service': [8080, 9090],
  'apps/call-service': [50055, 8082],
  // TURN (coturn.yaml): 3478 UDP and TCP, TLS on 5349.
  'apps/turn': [3478, 5349],
  'apps/guardyn-envoy': [8080, 9901],
  'messaging/nats': [4222, 4223, 6222, 8222],
  'data/pd': [2379, 2380],
  'data/tikv': [20160],
  // The seed's name: GUARDYN_DATABASE__SCYLLADB_NODES=guardyn-scylla-client.data.svc.cluster.local:9042.
  'data/guardyn-scylla-client': [9042],
  'data/minio': [9000, 9001],
};

/** The Guardyn roles (`guardyn serve <role>`), their Service and the port their probes ask. */
const ROLES = [
  { role: 'auth', service: 'auth-service', probe: { grpc: 50051 } },
  { role: 'messaging', service: 'messaging-service', probe: { grpc: 50052 } },
  { role: 'presence', service: 'presence-service', probe: { grpc: 50053 } },
  { role: 'media', service: 'media-service', probe: { grpc: 50054 } },
  { role: 'notifications', service: 'notification-service', probe: { http: 8080 } },
  { role: 'calls', service: 'call-service', probe: { grpc: 50055 } },
  { role: 'projections', service: undefined, probe: { http: 9090 } },
] as const;

/** The only port reachable from outside the cluster: Envoy's edge listener (and coturn's TURN ports, below). */
const PUBLIC_CONTAINER_PORT = 8080;
/** coturn's ports open to the world: TURN on 3478 (UDP, TCP), TLS on 5349 and the relay range. */
const TURN_PUBLIC_PORTS = ['3478/UDP', '3478/TCP', '5349/TCP', '49152-49183/UDP'];

let base: Manifest[] = [];
let overlayExtra: Manifest[] = [];
const find = (kind: string, namespace: string, name: string) =>
  base.find((m) => m.kind === kind && m.metadata.namespace === namespace && m.metadata.name === name);
const workloads = () => base.filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet');
const containerOf = (m: Manifest): Container => m.spec!.template!.spec.containers[0]!;

before(() => {
  base = loadResources(BASE);
  overlayExtra = loadResources(K3D).filter((m) => m.file.startsWith(path.relative(REPO_DIR, K3D)));
});

describe('kustomizations', () => {
  for (const dir of [BASE, K3D]) {
    it(`${path.relative(REPO_DIR, dir)}: every resource, patch and generator file exists`, () => {
      const files = referencedFiles(dir);
      assert.ok(files.length > 0);
      for (const f of files)
        assert.ok(
          fs.existsSync(f),
          `${path.relative(REPO_DIR, f)} (named in ${path.relative(REPO_DIR, dir)}/kustomization.yaml) exists`,
        );
    });
  }

  it('the base lists every YAML manifest of its folders (nothing forgotten)', () => {
    const listed = new Set(referencedFiles(BASE).map((f) => path.relative(BASE, f)));
    const onDisk = ['apps', 'messaging', 'stores'].flatMap((d) =>
      fs
        .readdirSync(path.join(BASE, d))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => `${d}/${f}`),
    );
    for (const f of onDisk) assert.ok(listed.has(f), `${f} is listed in the base kustomization`);
  });

  it('the overlay patches name objects of the base and keep NATS at three nodes', () => {
    const k = readKustomization(K3D);
    for (const p of k.patches ?? []) {
      for (const doc of readYamlDocuments(path.join(K3D, p.path!)) as Manifest[]) {
        assert.ok(
          find(doc.kind, doc.metadata.namespace!, doc.metadata.name),
          `patch target ${doc.kind} ${doc.metadata.namespace}/${doc.metadata.name} is in the base`,
        );
        assert.notEqual(doc.metadata.name, 'nats', 'the k3d overlay keeps the 3-node NATS cluster');
      }
    }
    const generated = k.configMapGenerator ?? [];
    for (const g of generated) {
      if (g.behavior === 'replace')
        assert.ok(
          readKustomization(BASE).configMapGenerator?.some((b) => b.name === g.name && b.namespace === g.namespace),
          `${g.name} replaces a ConfigMap of the base`,
        );
    }
    const image = k.images?.find((i) => i.name === readKustomization(BASE).images?.[0]?.newName);
    assert.ok(image, 'the overlay sets the Guardyn image the base names');
  });
});

describe('schemas', () => {
  it('every manifest of the base and the overlay validates against its Kubernetes schema', async () => {
    assert.ok(base.length >= 40, `${base.length} objects`);
    for (const m of [...base, ...overlayExtra]) await validateManifest(m);
  });

  it('the validator rejects a broken object (the check can fail)', async () => {
    const deployment = structuredClone(find('Deployment', 'apps', 'guardyn-auth')!) as unknown as {
      spec: { replicas: unknown };
    };
    deployment.spec.replicas = 'two';
    await assert.rejects(validateManifest(deployment as unknown as Manifest), /replicas must be integer/);
  });

  it('every object lives in one of the namespaces apps, messaging, data', () => {
    const namespaces = base
      .filter((m) => m.kind === 'Namespace')
      .map((m) => m.metadata.name)
      .sort();
    assert.deepEqual(namespaces, ['apps', 'data', 'messaging']);
    for (const m of base)
      if (m.kind !== 'Namespace')
        assert.ok(namespaces.includes(m.metadata.namespace ?? ''), `${m.kind} ${m.metadata.name} has a namespace`);
  });
});

describe('the port map', () => {
  it('every Service and port of the port map is present', () => {
    for (const [key, ports] of Object.entries(PORT_MAP)) {
      const [namespace, name] = key.split('/') as [string, string];
      const service = find('Service', namespace, name);
      assert.ok(service, `Service ${key}`);
      const have = service.spec!.ports!.map((p) => p.port);
      for (const port of ports) assert.ok(have.includes(port), `${key} has port ${port} (has ${have.join(', ')})`);
    }
  });

  it('every Service port leads to a container port of the pods it selects', () => {
    for (const service of base.filter((m) => m.kind === 'Service')) {
      const pods = workloads().filter(
        (w) =>
          w.metadata.namespace === service.metadata.namespace &&
          selects(service.spec!.selector, w.spec!.template!.metadata?.labels),
      );
      assert.ok(pods.length > 0, `Service ${service.metadata.name} selects a workload`);
      for (const port of service.spec!.ports!) {
        const target = port.targetPort ?? port.port;
        for (const w of pods) {
          const found = w.spec!.template!.spec.containers.some((c) =>
            (c.ports ?? []).some((p) => (typeof target === 'number' ? p.containerPort === target : p.name === target)),
          );
          assert.ok(
            found,
            `Service ${service.metadata.name} port ${port.port} → ${target} is a container port of ${w.metadata.name}`,
          );
        }
      }
    }
  });

  it('the environment names the ports and Services of the map', () => {
    const env = find('ConfigMap', 'apps', 'guardyn-env')!.data!;
    assert.equal(env.GUARDYN_AUTH__PORT, '50051');
    assert.equal(env.GUARDYN_MESSAGING__PORT, '50052');
    assert.equal(env.GUARDYN_MESSAGING__WEBSOCKET_PORT, '8081');
    assert.equal(env.GUARDYN_PRESENCE__PORT, '50053');
    assert.equal(env.GUARDYN_MEDIA__PORT, '50054');
    assert.equal(env.GUARDYN_NOTIFICATIONS__PORT, '8080');
    assert.equal(env.GUARDYN_METRICS__PORT, '9090');
    assert.equal(env.GUARDYN_MESSAGING__NATS_URL, 'nats://nats.messaging.svc.cluster.local:4222');
    assert.equal(
      env.GUARDYN_MESSAGING__STREAM_REPLICAS,
      String(find('StatefulSet', 'messaging', 'nats')!.spec!.replicas),
      'one stream replica per NATS node',
    );
    assert.equal(env.GUARDYN_DATABASE__TIKV_PD_ENDPOINTS, 'pd.data.svc.cluster.local:2379');
    assert.equal(
      env.GUARDYN_DATABASE__SCYLLADB_NODES,
      'guardyn-scylla-client.data.svc.cluster.local:9042',
      "the seed's ScyllaDB address",
    );
    assert.equal(env.GUARDYN_MEDIA__S3_ENDPOINT, 'http://minio.data.svc.cluster.local:9000');
  });

  it('every server address of the environment is a Service of the manifests and one of its ports', () => {
    const env = find('ConfigMap', 'apps', 'guardyn-env')!.data!;
    const addresses = [
      env.GUARDYN_MESSAGING__NATS_URL!.replace(/^nats:\/\//, ''),
      ...env.GUARDYN_DATABASE__TIKV_PD_ENDPOINTS!.split(','),
      ...env.GUARDYN_DATABASE__SCYLLADB_NODES!.split(','),
      env.GUARDYN_MEDIA__S3_ENDPOINT!.replace(/^https?:\/\//, ''),
    ];
    for (const address of addresses) {
      const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local:(\d+)$/.exec(address.trim());
      assert.ok(m, `${address} is <service>.<namespace>.svc.cluster.local:<port>`);
      const service = find('Service', m[2]!, m[1]!);
      assert.ok(service, `${address}: Service ${m[2]}/${m[1]} is in the manifests`);
      assert.ok(
        service.spec!.ports!.some((p) => p.port === Number(m[3])),
        `${address}: the Service has port ${m[3]}`,
      );
    }
  });

  it('every GUARDYN_* variable the manifests set is one Guardyn reads (or a store variable of the design)', () => {
    const source = ['runtime/config.ts', 'runtime/config-notifications.ts', 'runtime/config-calls.ts']
      .map((f) => fs.readFileSync(path.join(REPO_DIR, f), 'utf8'))
      .join('\n');
    // The store adapters' variables (named in the design; read once the TiKV and ScyllaDB adapters are wired).
    const designStores = new Set(['GUARDYN_DATABASE__TIKV_PD_ENDPOINTS', 'GUARDYN_DATABASE__SCYLLADB_NODES']);
    const names = new Set<string>(Object.keys(find('ConfigMap', 'apps', 'guardyn-env')!.data!));
    for (const w of workloads())
      for (const c of w.spec!.template!.spec.containers)
        for (const e of c.env ?? []) if (e.name.startsWith('GUARDYN_')) names.add(e.name);
    for (const name of names)
      assert.ok(designStores.has(name) || source.includes(`'${name}'`), `${name} is read by runtime/config*.ts`);
  });
});

describe('Guardyn roles', () => {
  for (const r of ROLES) {
    it(`guardyn serve ${r.role}: environment, probes, resources, non-root, PDB`, () => {
      const d = find('Deployment', 'apps', `guardyn-${r.role}`);
      assert.ok(d, `Deployment guardyn-${r.role}`);
      const c = containerOf(d);
      assert.deepEqual(c.args, ['serve', r.role]);
      assert.ok(
        c.envFrom?.some((e) => e.configMapRef?.name === 'guardyn-env'),
        'takes the GUARDYN_* environment',
      );
      for (const probe of [c.readinessProbe, c.livenessProbe]) {
        assert.ok(probe, 'readiness and liveness probes');
        if ('grpc' in r.probe) assert.equal(probe.grpc?.port, r.probe.grpc, 'probed through the gRPC health service');
        else assert.equal(probe.httpGet?.port, r.probe.http);
      }
      assert.ok(
        c.resources?.requests?.cpu &&
          c.resources.requests.memory &&
          c.resources.limits?.cpu &&
          c.resources.limits.memory,
        'requests and limits',
      );
      assert.equal(d.spec!.template!.spec.securityContext?.runAsNonRoot, true);
      assert.equal(c.securityContext?.allowPrivilegeEscalation, false);
      assert.equal(c.securityContext?.readOnlyRootFilesystem, true);
      if (r.service) assert.ok(find('Service', 'apps', r.service), `Service ${r.service}`);
    });
  }

  it('every workload has resource requests and limits and a PodDisruptionBudget', () => {
    const pdbs = base.filter((m) => m.kind === 'PodDisruptionBudget');
    for (const w of workloads()) {
      for (const c of w.spec!.template!.spec.containers) {
        assert.ok(c.resources?.requests && c.resources.limits, `${w.metadata.name}/${c.name} has requests and limits`);
      }
      const pdb = pdbs.filter(
        (p) =>
          p.metadata.namespace === w.metadata.namespace &&
          selects(p.spec!.selector?.matchLabels, w.spec!.template!.metadata?.labels),
      );
      assert.equal(pdb.length, 1, `${w.metadata.name} has one PodDisruptionBudget`);
      const budget = pdb[0]!.spec!;
      if (budget.minAvailable !== undefined)
        assert.ok(
          (w.spec!.replicas ?? 1) > Number(budget.minAvailable),
          `${w.metadata.name}'s PDB leaves room for a drain`,
        );
    }
  });

  it('every ConfigMap and Secret a pod refers to is made by the base, its generators or make-secrets.sh', () => {
    const generated = (readKustomization(BASE).configMapGenerator ?? []).map((g) => `${g.namespace}/${g.name}`);
    const configMaps = new Set([
      ...generated,
      ...base.filter((m) => m.kind === 'ConfigMap').map((m) => `${m.metadata.namespace}/${m.metadata.name}`),
    ]);
    const script = fs.readFileSync(path.join(OPS_DIR, 'k8s', 'make-secrets.sh'), 'utf8');
    const secrets = new Set(
      [...script.matchAll(/kubectl -n "?(\$ns|\w+)"? create secret generic ([\w-]+)/g)].flatMap((m) =>
        (m[1] === '$ns' ? ['apps', 'data'] : [m[1]!]).map((ns) => `${ns}/${m[2]}`),
      ),
    );
    assert.ok(secrets.size >= 4, [...secrets].join(', '));
    for (const w of workloads()) {
      const ns = w.metadata.namespace!;
      const pod = w.spec!.template!.spec;
      for (const v of pod.volumes ?? []) {
        if (v.configMap)
          assert.ok(
            configMaps.has(`${ns}/${v.configMap.name}`),
            `${w.metadata.name}: ConfigMap ${ns}/${v.configMap.name}`,
          );
        // An optional Secret (coturn's TLS certificate, made by cert-manager or kubectl create secret tls) may be absent.
        if (v.secret && v.secret.optional !== true)
          assert.ok(
            secrets.has(`${ns}/${v.secret.secretName}`),
            `${w.metadata.name}: Secret ${ns}/${v.secret.secretName}`,
          );
      }
      for (const c of pod.containers) {
        for (const e of c.envFrom ?? [])
          if (e.configMapRef)
            assert.ok(
              configMaps.has(`${ns}/${e.configMapRef.name}`),
              `${w.metadata.name}: ConfigMap ${ns}/${e.configMapRef.name}`,
            );
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (ref)
            assert.ok(
              secrets.has(`${ns}/${ref.name}`) && script.includes(ref.key),
              `${w.metadata.name}: Secret ${ns}/${ref.name} key ${ref.key}`,
            );
        }
      }
    }
  });

  it('the JWT key set and the audit key come from Secrets, never from the manifests', () => {
    for (const m of base)
      assert.notEqual(m.kind, 'Secret', `${m.metadata.name}: Secrets are made by ops/k8s/make-secrets.sh`);
    const projections = containerOf(find('Deployment', 'apps', 'guardyn-projections')!);
    assert.equal(
      projections.env?.find((e) => e.name === 'GUARDYN_AUDIT__SIGNING_KEY')?.valueFrom?.secretKeyRef?.name,
      'guardyn-audit',
    );
    const script = fs.readFileSync(path.join(OPS_DIR, 'k8s', 'make-secrets.sh'), 'utf8');
    for (const name of ['guardyn-jwt-keys', 'guardyn-audit', 'guardyn-s3'])
      assert.ok(script.includes(name), `make-secrets.sh makes ${name}`);
  });
});

describe('NATS', () => {
  it('is a 3-node JetStream cluster on 4222 / 4223 routes / 6222 leaf / 8222 monitoring', () => {
    const sts = find('StatefulSet', 'messaging', 'nats')!;
    assert.equal(sts.spec!.replicas, 3);
    const conf = fs.readFileSync(path.join(BASE, 'messaging', 'nats.conf'), 'utf8');
    assert.match(conf, /^port: 4222$/m);
    assert.match(conf, /^http_port: 8222$/m);
    assert.match(conf, /^jetstream \{/m);
    // The disk sync policy is stated, not left implicit: R3 quorum covers a node's power loss, so the default interval.
    assert.match(conf, /jetstream \{[^}]*sync_interval: "2m"/s);
    assert.match(conf, /cluster \{[^}]*port: 4223/s);
    assert.match(conf, /leafnodes \{[^}]*port: 6222/s);
    const headless = find('Service', 'messaging', 'nats-headless')!;
    assert.equal(headless.spec!.clusterIP, 'None');
    for (let i = 0; i < 3; i++)
      assert.ok(conf.includes(`nats://nats-${i}.nats-headless.messaging.svc.cluster.local:4223`), `route to nats-${i}`);
  });
});

describe('NetworkPolicies', () => {
  const policies = () => base.filter((m) => m.kind === 'NetworkPolicy');

  it('every namespace denies ingress by default', () => {
    for (const ns of ['apps', 'messaging', 'data']) {
      const deny = policies().find(
        (p) =>
          p.metadata.namespace === ns &&
          Object.keys(p.spec!.podSelector ?? {}).length === 0 &&
          p.spec!.policyTypes?.includes('Ingress') &&
          (p.spec!.ingress ?? []).length === 0,
      );
      assert.ok(deny, `default deny in ${ns}`);
    }
  });

  it("only Envoy's edge port is open to the world; data and admin ports only to pods of the cluster", () => {
    for (const p of policies()) {
      for (const rule of p.spec!.ingress ?? []) {
        if (rule.from !== undefined && rule.from.length > 0) continue;
        assert.equal(p.metadata.namespace, 'apps', `${p.metadata.name}: an open rule only in apps`);
        const target = p.spec!.podSelector?.matchLabels?.['app.kubernetes.io/name'];
        if (target === 'guardyn-coturn') {
          assert.deepEqual(
            rule.ports?.map((x) => `${x.port}${x.endPort === undefined ? '' : `-${x.endPort}`}/${x.protocol}`),
            TURN_PUBLIC_PORTS,
            `${p.metadata.name}: coturn open only on its TURN ports`,
          );
          continue;
        }
        assert.equal(target, 'guardyn-envoy', `${p.metadata.name}: an open rule only for Envoy and coturn`);
        assert.deepEqual(
          rule.ports?.map((x) => x.port),
          [PUBLIC_CONTAINER_PORT],
          `${p.metadata.name}: open only on ${PUBLIC_CONTAINER_PORT}`,
        );
      }
    }
  });

  it("no Service of the base is published outside the cluster; the k3d overlay publishes only Envoy's edge", () => {
    for (const s of base.filter((m) => m.kind === 'Service'))
      assert.ok(s.spec!.type === undefined || s.spec!.type === 'ClusterIP', `${s.metadata.name} is ClusterIP`);
    const published = overlayExtra.filter(
      (m) => m.kind === 'Service' && (m.spec!.type === 'LoadBalancer' || m.spec!.type === 'NodePort'),
    );
    assert.equal(published.length, 1);
    const edge = published[0]!;
    assert.equal(edge.spec!.selector?.['app.kubernetes.io/name'], 'guardyn-envoy');
    for (const port of edge.spec!.ports!)
      assert.equal(port.targetPort, 'http', `published port ${port.port} leads to Envoy's edge listener`);
  });
});

describe('TURN (coturn) and the call service', () => {
  const coturn = () => containerOf(find('Deployment', 'apps', 'guardyn-coturn')!);

  it("coturn takes TURN REST credentials with the call service's secret, from the Secret guardyn-turn", () => {
    const c = coturn();
    assert.ok(c.args!.includes('--use-auth-secret') && c.args!.includes('--static-auth-secret=$(TURN_SECRET)'));
    assert.deepEqual(c.env?.find((e) => e.name === 'TURN_SECRET')?.valueFrom?.secretKeyRef, {
      name: 'guardyn-turn',
      key: 'secret',
    });
    const calls = containerOf(find('Deployment', 'apps', 'guardyn-calls')!);
    assert.deepEqual(calls.env?.find((e) => e.name === 'GUARDYN_CALLS__TURN_SECRET')?.valueFrom?.secretKeyRef, {
      name: 'guardyn-turn',
      key: 'secret',
    });
    const env = find('ConfigMap', 'apps', 'guardyn-env')!.data!;
    assert.equal(env.GUARDYN_CALLS__GRPC_PORT, '50055');
    assert.equal(env.GUARDYN_CALLS__WEBSOCKET_PORT, '8082');
    for (const uri of env.GUARDYN_CALLS__TURN_URIS!.split(','))
      assert.match(uri, /^turns?:[\w.-]+:(3478|5349)\?transport=(udp|tcp)$/);
  });

  it('coturn never relays to private, link-local or loopback peers, and never allows loopback peers', () => {
    const args = coturn().args!;
    assert.ok(!args.some((a) => a.includes('allow-loopback-peers')));
    const denied = args
      .filter((a) => a.startsWith('--denied-peer-ip='))
      .map((a) => a.slice('--denied-peer-ip='.length));
    assert.deepEqual(
      denied,
      [...DEFAULT_DENIED_PEER_IPS],
      "the same ranges as guardyn up's coturn (runtime/config-turn.ts)",
    );
    assert.ok(
      args.includes('--min-port=49152') && args.includes('--max-port=49183'),
      'the relay range of the NetworkPolicy and the Service',
    );
    assert.ok(
      args.includes('--cert=/etc/coturn/tls/tls.crt') &&
        args.includes('--pkey=/etc/coturn/tls/tls.key') &&
        args.includes('--tls-listening-port=5349'),
    );
    assert.ok(args.some((a) => a === '--external-ip=$(TURN_EXTERNAL_IP)'));
    assert.ok(find('ConfigMap', 'apps', 'guardyn-turn')!.data!.TURN_EXTERNAL_IP);
  });

  it("an egress NetworkPolicy keeps the relay off the cluster's own addresses", () => {
    const egress = base.find(
      (m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'turn-relay-egress',
    ) as unknown as {
      spec: {
        podSelector: { matchLabels: Record<string, string> };
        policyTypes: string[];
        egress: { to: { ipBlock: { cidr: string; except: string[] } }[] }[];
      };
    };
    assert.ok(egress, 'NetworkPolicy turn-relay-egress');
    assert.equal(egress.spec.podSelector.matchLabels['app.kubernetes.io/name'], 'guardyn-coturn');
    assert.deepEqual(egress.spec.policyTypes, ['Egress']);
    const blocks = egress.spec.egress.flatMap((r) => r.to.map((t) => t.ipBlock));
    const v4 = blocks.find((b) => b.cidr === '0.0.0.0/0')!;
    for (const cidr of [
      '10.0.0.0/8',
      '172.16.0.0/12',
      '192.168.0.0/16',
      '100.64.0.0/10',
      '169.254.0.0/16',
      '127.0.0.0/8',
    ])
      assert.ok(v4.except.includes(cidr), `egress excepts ${cidr}`);
    const v6 = blocks.find((b) => b.cidr === '::/0')!;
    for (const cidr of ['fc00::/7', 'fe80::/10', '::1/128'])
      assert.ok(v6.except.includes(cidr), `egress excepts ${cidr}`);
  });

  it('the Service turn carries 3478 over UDP and TCP, 5349 and every relay port, each to a container port', () => {
    const ports = find('Service', 'apps', 'turn')!.spec!.ports! as unknown as { port: number; protocol: string }[];
    const have = new Set(ports.map((p) => `${p.port}/${p.protocol}`));
    for (const p of ['3478/UDP', '3478/TCP', '5349/TCP']) assert.ok(have.has(p), p);
    for (let p = 49152; p <= 49183; p++) assert.ok(have.has(`${p}/UDP`), `relay port ${p}`);
  });
});

interface EnvoyAddress {
  socket_address: { address: string; port_value: number };
}
interface EnvoyConfig {
  admin: { address: EnvoyAddress };
  static_resources: {
    listeners: {
      name: string;
      address: EnvoyAddress;
      filter_chains: {
        filters: {
          typed_config: {
            route_config: {
              virtual_hosts: { routes: { match: { prefix?: string; path?: string }; route: { cluster: string } }[] }[];
            };
            http_filters: { name: string }[];
          };
        }[];
      }[];
    }[];
    clusters: {
      name: string;
      load_assignment: { endpoints: { lb_endpoints: { endpoint: { address: EnvoyAddress } }[] }[] };
    }[];
  };
}

describe('Envoy', () => {
  const envoyFile = path.join(BASE, 'apps', 'envoy', 'envoy.yaml');
  const envoy = () => readYaml(envoyFile) as EnvoyConfig;

  it('admin listens on loopback 9901', () => {
    assert.deepEqual(envoy().admin.address.socket_address, { address: '127.0.0.1', port_value: 9901 });
  });

  it('the edge on 8080 turns gRPC-Web into gRPC for the five services, to their Services and ports', () => {
    const edge = envoy().static_resources.listeners.find((l) => l.address.socket_address.port_value === 8080)!;
    assert.ok(edge, 'a listener on 8080');
    const hcm = edge.filter_chains[0]!.filters[0]!.typed_config;
    const filters = hcm.http_filters.map((f) => f.name);
    assert.ok(
      filters.indexOf('envoy.filters.http.grpc_web') >= 0 &&
        filters.indexOf('envoy.filters.http.grpc_web') < filters.indexOf('envoy.filters.http.router'),
      'grpc_web before the router',
    );
    const routes = hcm.route_config.virtual_hosts[0]!.routes;
    const clusters = envoy().static_resources.clusters;
    const services = fs
      .readdirSync(path.join(REPO_DIR, 'proto', 'guardyn'))
      .filter((f) => f.endsWith('.proto'))
      .flatMap((f) => {
        const text = fs.readFileSync(path.join(REPO_DIR, 'proto', 'guardyn', f), 'utf8');
        const pkg = /^package ([\w.]+);/m.exec(text)?.[1];
        return [...text.matchAll(/^service (\w+)/gm)].map((m) => `${pkg}.${m[1]}`);
      });
    assert.equal(services.length, 5, services.join(', '));
    const expected: Record<string, [string, number]> = {
      'guardyn.auth.AuthService': ['auth-service', 50051],
      'guardyn.messaging.MessagingService': ['messaging-service', 50052],
      'guardyn.presence.PresenceService': ['presence-service', 50053],
      'guardyn.media.MediaService': ['media-service', 50054],
      'guardyn.call.CallService': ['call-service', 50055],
    };
    for (const service of services) {
      const route = routes.find((r) => r.match.prefix === `/${service}/`);
      assert.ok(route, `a route for ${service}`);
      const cluster = clusters.find((c) => c.name === route.route.cluster)!;
      assert.deepEqual(cluster.load_assignment.endpoints[0]!.lb_endpoints[0]!.endpoint.address.socket_address, {
        address: expected[service]![0],
        port_value: expected[service]![1],
      });
      assert.ok(PORT_MAP[`apps/${expected[service]![0]}`]!.includes(expected[service]![1]));
    }
  });

  it('only the edge and the read-only admin listener are bound beyond loopback', () => {
    const open = envoy()
      .static_resources.listeners.filter((l) => l.address.socket_address.address !== '127.0.0.1')
      .map((l) => l.address.socket_address.port_value)
      .sort();
    assert.deepEqual(open, [8080, 9902]);
    const admin = envoy().static_resources.listeners.find((l) => l.address.socket_address.port_value === 9902)!;
    const paths = admin.filter_chains[0]!.filters[0]!.typed_config.route_config.virtual_hosts[0]!.routes.map(
      (r) => r.match.path ?? r.match.prefix,
    );
    assert.deepEqual(paths, ['/ready', '/stats/prometheus']);
  });
});

interface ComposeService {
  image?: string;
  command?: string[];
  entrypoint?: string[];
  ports?: string[];
  environment?: Record<string, string>;
}

describe('compose', () => {
  const compose = () => readYaml(path.join(OPS_DIR, 'compose.yaml')) as { services: Record<string, ComposeService> };

  it('brings up the whole stack with the real NATS, PD, TiKV, ScyllaDB, MinIO and Envoy images', () => {
    const images = Object.values(compose().services).map((s) => s.image?.split(':')[0]);
    for (const image of ['nats', 'pingcap/pd', 'pingcap/tikv', 'scylladb/scylla', 'minio/minio', 'envoyproxy/envoy'])
      assert.ok(images.includes(image), `image ${image}`);
    assert.equal(images.filter((i) => i === 'nats').length, 3, 'three NATS nodes');
    const conf = fs.readFileSync(path.join(OPS_DIR, 'compose', 'nats.conf'), 'utf8');
    assert.match(conf, /cluster \{[^}]*port: 4223/s);
    assert.match(conf, /jetstream \{[^}]*sync_interval: "2m"/s);
    assert.match(conf, /leafnodes \{[^}]*port: 6222/s);
  });

  it('runs every role under the name Envoy routes to', () => {
    const services = compose().services;
    const envoyHosts = new Set(
      (readYaml(path.join(BASE, 'apps', 'envoy', 'envoy.yaml')) as EnvoyConfig).static_resources.clusters
        .map((c) => c.load_assignment.endpoints[0]!.lb_endpoints[0]!.endpoint.address.socket_address.address)
        .filter((a) => a !== '127.0.0.1'),
    );
    for (const host of envoyHosts) assert.ok(services[host], `a compose service ${host}`);
    for (const r of ROLES) {
      const s = Object.values(services).find(
        (x) =>
          (x.command ?? []).join(' ') === `serve ${r.role}` ||
          (x.entrypoint ?? []).join(' ').includes(`serve ${r.role}`),
      );
      assert.ok(s, `a service runs guardyn serve ${r.role}`);
      assert.equal(s.environment?.GUARDYN_MESSAGING__NATS_URL, 'nats://nats-1:4222');
      assert.equal(s.environment?.GUARDYN_MESSAGING__STREAM_REPLICAS, '3');
    }
  });

  it('publishes only Envoy beyond loopback', () => {
    for (const [name, s] of Object.entries(compose().services)) {
      for (const p of s.ports ?? []) {
        if (p.startsWith('127.0.0.1:')) continue;
        assert.equal(name, 'guardyn-envoy', `${name} publishes ${p} beyond loopback`);
        assert.match(p, /^\d+:8080$/);
      }
    }
  });
});

describe('k3d and the image', () => {
  it("the k3d cluster publishes the edge ports of the overlay's load balancer Service", () => {
    const cluster = readYaml(path.join(OPS_DIR, 'k3d', 'cluster.yaml')) as {
      apiVersion: string;
      kind: string;
      ports: { port: string; nodeFilters: string[] }[];
    };
    assert.equal(cluster.kind, 'Simple');
    assert.match(cluster.apiVersion, /^k3d\.io\/v1alpha\d$/);
    const host = cluster.ports
      .map((p) => {
        assert.deepEqual(p.nodeFilters, ['loadbalancer']);
        const [h, c] = p.port.split(':').map(Number);
        assert.equal(h, c);
        return h!;
      })
      .sort((a, b) => a - b);
    assert.deepEqual(host, [8080, 8081, 50051, 50052, 50053, 50054]);
    const edge = overlayExtra.find((m) => m.kind === 'Service' && m.spec!.type === 'LoadBalancer')!;
    assert.deepEqual(
      edge.spec!.ports!.map((p) => p.port).sort((a, b) => a - b),
      host,
    );
  });

  it('the container image is multi-stage, runs as an unprivileged user and copies only what exists', () => {
    const file = fs.readFileSync(path.join(OPS_DIR, 'Dockerfile'), 'utf8');
    assert.ok((file.match(/^FROM /gm) ?? []).length >= 2, 'multi-stage');
    const users = [...file.matchAll(/^USER (\S+)/gm)].map((m) => m[1]!);
    assert.ok(users.length > 0 && !/^(0|root)(:|$)/.test(users.at(-1)!), `runs as ${users.at(-1)}`);
    for (const m of file.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const src of m[1]!.split(/\s+/)) assert.ok(fs.existsSync(path.join(REPO_DIR, src)), `COPY ${src} exists`);
    }
    assert.match(file, /ENTRYPOINT \["node", "bin\/guardyn\.js"\]/);
  });

  it('the image holds every module the guardyn command imports (statically or when a command runs, from bin/guardyn.ts)', () => {
    const file = fs.readFileSync(path.join(OPS_DIR, 'Dockerfile'), 'utf8');
    const copied = [...file.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    const inImage = (f: string) => copied.some((c) => f === c || f.startsWith(`${c}/`));
    const seen = new Set<string>();
    const visit = (rel: string) => {
      if (seen.has(rel)) return;
      seen.add(rel);
      assert.ok(inImage(rel), `${rel} is copied into the image`);
      const text = fs.readFileSync(path.join(REPO_DIR, rel), 'utf8');
      const here = (spec: string) =>
        path.relative(REPO_DIR, path.resolve(path.dirname(path.join(REPO_DIR, rel)), spec));
      for (const m of text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom '(\.{1,2}\/[^']+)'/gm)) visit(here(m[1]!));
      // Modules a command loads when it runs (`await import('./app.ts')`); the benchmarks are not in the image.
      for (const m of text.matchAll(/\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/g)) {
        const target = here(m[1]!);
        if (!target.startsWith('bench/')) visit(target);
      }
    };
    visit('bin/guardyn.ts');
    visit('ops/healthcheck.ts');
    assert.ok(seen.size > 50, `${seen.size} modules`);
  });
});
