// Command guardyn-mock-tikv serves the TiKV RawKV and PD gRPC services on loopback over an
// in-memory mock cluster (the upstream client library's mock store), so the TypeScript RawKV
// client is exercised over a real wire by a server it did not write. Every store of the mock
// cluster listens on its own loopback port; PD listens on another. A small HTTP control
// endpoint splits regions, moves leaders, injects ServerIsBusy and takes stores down (their
// requests then fail with UNAVAILABLE, as a TiKV that is down does).
//
// On start it prints one JSON line to stdout:
//
//	{"pd":"127.0.0.1:P","control":"127.0.0.1:C","stores":{"1":"127.0.0.1:S1",...},"clusterId":"..."}
package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/pingcap/kvproto/pkg/errorpb"
	"github.com/pingcap/kvproto/pkg/kvrpcpb"
	"github.com/pingcap/kvproto/pkg/pdpb"
	"github.com/pingcap/kvproto/pkg/tikvpb"
	"github.com/tikv/client-go/v2/testutils"
	"github.com/tikv/client-go/v2/tikvrpc"
	pd "github.com/tikv/pd/client"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// A cluster id above 2^53, so a client that loses 64-bit precision is caught.
const clusterID uint64 = 7300000000000000123

type mock struct {
	client  *testutils.MockClient
	cluster *testutils.MockCluster
	pd      pd.Client
	// writes serialises every write, so the compare-and-swap below (read, compare, write)
	// is atomic with respect to all other writes, as TiKV's atomic mode guarantees.
	writes sync.Mutex
	busyMu sync.Mutex
	busy   map[uint64]int // store id -> number of requests still to answer ServerIsBusy
}

func (m *mock) takeBusy(storeID uint64) bool {
	m.busyMu.Lock()
	defer m.busyMu.Unlock()
	if m.busy[storeID] > 0 {
		m.busy[storeID]--
		return true
	}
	return false
}

// ---------------------------------------------------------------- TiKV service, one per store

type tikvServer struct {
	tikvpb.UnimplementedTikvServer
	m       *mock
	addr    string
	storeID uint64
}

func ctxOf(c *kvrpcpb.Context) kvrpcpb.Context {
	if c == nil {
		return kvrpcpb.Context{}
	}
	return *c
}

func busyError() *errorpb.Error {
	return &errorpb.Error{Message: "server is busy", ServerIsBusy: &errorpb.ServerIsBusy{Reason: "injected", BackoffMs: 10}}
}

// send forwards one request to the mock store behind this listener.
func (s *tikvServer) send(ctx context.Context, typ tikvrpc.CmdType, req interface{}, c *kvrpcpb.Context) (interface{}, error) {
	resp, err := s.m.client.SendRequest(ctx, s.addr, tikvrpc.NewRequest(typ, req, ctxOf(c)), 10*time.Second)
	if err != nil {
		// A stopped store: what a client sees of a TiKV that is down.
		return nil, status.Error(codes.Unavailable, err.Error())
	}
	return resp.Resp, nil
}

func (s *tikvServer) RawGet(ctx context.Context, r *kvrpcpb.RawGetRequest) (*kvrpcpb.RawGetResponse, error) {
	if s.m.takeBusy(s.storeID) {
		return &kvrpcpb.RawGetResponse{RegionError: busyError()}, nil
	}
	resp, err := s.send(ctx, tikvrpc.CmdRawGet, r, r.Context)
	if err != nil {
		return nil, err
	}
	return resp.(*kvrpcpb.RawGetResponse), nil
}

func (s *tikvServer) RawBatchGet(ctx context.Context, r *kvrpcpb.RawBatchGetRequest) (*kvrpcpb.RawBatchGetResponse, error) {
	if s.m.takeBusy(s.storeID) {
		return &kvrpcpb.RawBatchGetResponse{RegionError: busyError()}, nil
	}
	resp, err := s.send(ctx, tikvrpc.CmdRawBatchGet, r, r.Context)
	if err != nil {
		return nil, err
	}
	return resp.(*kvrpcpb.RawBatchGetResponse), nil
}

func (s *tikvServer) RawPut(ctx context.Context, r *kvrpcpb.RawPutRequest) (*kvrpcpb.RawPutResponse, error) {
	if s.m.takeBusy(s.storeID) {
		return &kvrpcpb.RawPutResponse{RegionError: busyError()}, nil
	}
	s.m.writes.Lock()
	defer s.m.writes.Unlock()
	resp, err := s.send(ctx, tikvrpc.CmdRawPut, r, r.Context)
	if err != nil {
		return nil, err
	}
	return resp.(*kvrpcpb.RawPutResponse), nil
}

func (s *tikvServer) RawBatchPut(ctx context.Context, r *kvrpcpb.RawBatchPutRequest) (*kvrpcpb.RawBatchPutResponse, error) {
	if s.m.takeBusy(s.storeID) {
		return &kvrpcpb.RawBatchPutResponse{RegionError: busyError()}, nil
	}
	s.m.writes.Lock()
	defer s.m.writes.Unlock()
	resp, err := s.send(ctx, tikvrpc.CmdRawBatchPut, r, r.Context)
	if err != nil {
		return nil, err
	}
	return resp.(*kvrpcpb.RawBatchPutResponse), nil
}

func (s *tikvServer) RawDelete(ctx context.Context, r *kvrpcpb.RawDeleteRequest) (*kvrpcpb.RawDeleteResponse, error) {
	if s.m.takeBusy(s.storeID) {
		return &kvrpcpb.RawDeleteResponse{RegionError: busyError()}, nil
	}
	s.m.writes.Lock()
	defer s.m.writes.Unlock()
	resp, err := s.send(ctx, tikvrpc.CmdRawDelete, r, r.Context)
	if err != nil {
		return nil, err
	}
	return resp.(*kvrpcpb.RawDeleteResponse), nil
}

func (s *tikvServer) RawBatchDelete(ctx context.Context, r *kvrpcpb.RawBatchDeleteRequest) (*kvrpcpb.RawBatchDeleteResponse, error) {
	if s.m.takeBusy(s.storeID) {
		return &kvrpcpb.RawBatchDeleteResponse{RegionError: busyError()}, nil
	}
	s.m.writes.Lock()
	defer s.m.writes.Unlock()
	resp, err := s.send(ctx, tikvrpc.CmdRawBatchDelete, r, r.Context)
	if err != nil {
		return nil, err
	}
	return resp.(*kvrpcpb.RawBatchDeleteResponse), nil
}

func (s *tikvServer) RawScan(ctx context.Context, r *kvrpcpb.RawScanRequest) (*kvrpcpb.RawScanResponse, error) {
	if s.m.takeBusy(s.storeID) {
		return &kvrpcpb.RawScanResponse{RegionError: busyError()}, nil
	}
	resp, err := s.send(ctx, tikvrpc.CmdRawScan, r, r.Context)
	if err != nil {
		return nil, err
	}
	return resp.(*kvrpcpb.RawScanResponse), nil
}

func (s *tikvServer) RawDeleteRange(ctx context.Context, r *kvrpcpb.RawDeleteRangeRequest) (*kvrpcpb.RawDeleteRangeResponse, error) {
	if s.m.takeBusy(s.storeID) {
		return &kvrpcpb.RawDeleteRangeResponse{RegionError: busyError()}, nil
	}
	s.m.writes.Lock()
	defer s.m.writes.Unlock()
	resp, err := s.send(ctx, tikvrpc.CmdRawDeleteRange, r, r.Context)
	if err != nil {
		return nil, err
	}
	return resp.(*kvrpcpb.RawDeleteRangeResponse), nil
}

// RawCompareAndSwap follows TiKV's semantics (previous_not_exist tells an absent key from an
// empty value), which the mock store's own CAS does not: the region is checked by the read,
// then the write goes through the ordinary put, all under the write lock.
func (s *tikvServer) RawCompareAndSwap(ctx context.Context, r *kvrpcpb.RawCASRequest) (*kvrpcpb.RawCASResponse, error) {
	if s.m.takeBusy(s.storeID) {
		return &kvrpcpb.RawCASResponse{RegionError: busyError()}, nil
	}
	s.m.writes.Lock()
	defer s.m.writes.Unlock()
	got, err := s.send(ctx, tikvrpc.CmdRawGet, &kvrpcpb.RawGetRequest{Context: r.Context, Key: r.Key, Cf: r.Cf}, r.Context)
	if err != nil {
		return nil, err
	}
	current := got.(*kvrpcpb.RawGetResponse)
	if current.RegionError != nil || current.Error != "" {
		return &kvrpcpb.RawCASResponse{RegionError: current.RegionError, Error: current.Error}, nil
	}
	matches := (r.PreviousNotExist && current.NotFound) ||
		(!r.PreviousNotExist && !current.NotFound && string(r.PreviousValue) == string(current.Value))
	out := &kvrpcpb.RawCASResponse{PreviousNotExist: current.NotFound, PreviousValue: current.Value}
	if !matches {
		return out, nil
	}
	resp, err := s.send(ctx, tikvrpc.CmdRawPut, &kvrpcpb.RawPutRequest{Context: r.Context, Key: r.Key, Value: r.Value, Cf: r.Cf, ForCas: true}, r.Context)
	if err != nil {
		return nil, err
	}
	p := resp.(*kvrpcpb.RawPutResponse)
	out.RegionError, out.Error = p.RegionError, p.Error
	out.Succeed = out.RegionError == nil && out.Error == ""
	return out, nil
}

// ---------------------------------------------------------------- PD service

type pdServer struct {
	pdpb.UnimplementedPDServer
	m      *mock
	member *pdpb.Member
}

func header() *pdpb.ResponseHeader { return &pdpb.ResponseHeader{ClusterId: clusterID} }

func regionNotFound() *pdpb.ResponseHeader {
	return &pdpb.ResponseHeader{ClusterId: clusterID, Error: &pdpb.Error{Type: pdpb.ErrorType_REGION_NOT_FOUND, Message: "region not found"}}
}

func (p *pdServer) GetMembers(ctx context.Context, r *pdpb.GetMembersRequest) (*pdpb.GetMembersResponse, error) {
	return &pdpb.GetMembersResponse{Header: header(), Members: []*pdpb.Member{p.member}, Leader: p.member, EtcdLeader: p.member}, nil
}

func regionResponse(region *pd.Region, err error) (*pdpb.GetRegionResponse, error) {
	if err != nil {
		return nil, err
	}
	if region == nil || region.Meta == nil {
		return &pdpb.GetRegionResponse{Header: regionNotFound()}, nil
	}
	return &pdpb.GetRegionResponse{Header: header(), Region: region.Meta, Leader: region.Leader}, nil
}

func (p *pdServer) GetRegion(ctx context.Context, r *pdpb.GetRegionRequest) (*pdpb.GetRegionResponse, error) {
	return regionResponse(p.m.pd.GetRegion(ctx, r.RegionKey))
}

func (p *pdServer) GetPrevRegion(ctx context.Context, r *pdpb.GetRegionRequest) (*pdpb.GetRegionResponse, error) {
	return regionResponse(p.m.pd.GetPrevRegion(ctx, r.RegionKey))
}

func (p *pdServer) GetRegionByID(ctx context.Context, r *pdpb.GetRegionByIDRequest) (*pdpb.GetRegionResponse, error) {
	return regionResponse(p.m.pd.GetRegionByID(ctx, r.RegionId))
}

func (p *pdServer) ScanRegions(ctx context.Context, r *pdpb.ScanRegionsRequest) (*pdpb.ScanRegionsResponse, error) {
	regions, err := p.m.pd.ScanRegions(ctx, r.StartKey, r.EndKey, int(r.Limit))
	if err != nil {
		return nil, err
	}
	out := &pdpb.ScanRegionsResponse{Header: header()}
	for _, region := range regions {
		out.RegionMetas = append(out.RegionMetas, region.Meta)
		out.Leaders = append(out.Leaders, region.Leader)
		out.Regions = append(out.Regions, &pdpb.Region{Region: region.Meta, Leader: region.Leader})
	}
	return out, nil
}

func (p *pdServer) GetStore(ctx context.Context, r *pdpb.GetStoreRequest) (*pdpb.GetStoreResponse, error) {
	store, err := p.m.pd.GetStore(ctx, r.StoreId)
	if err != nil || store == nil {
		return &pdpb.GetStoreResponse{Header: &pdpb.ResponseHeader{ClusterId: clusterID, Error: &pdpb.Error{Type: pdpb.ErrorType_UNKNOWN, Message: fmt.Sprintf("store %d not found", r.StoreId)}}}, nil
	}
	return &pdpb.GetStoreResponse{Header: header(), Store: store}, nil
}

func (p *pdServer) GetAllStores(ctx context.Context, r *pdpb.GetAllStoresRequest) (*pdpb.GetAllStoresResponse, error) {
	stores, err := p.m.pd.GetAllStores(ctx)
	if err != nil {
		return nil, err
	}
	return &pdpb.GetAllStoresResponse{Header: header(), Stores: stores}, nil
}

// ---------------------------------------------------------------- control endpoint

type regionView struct {
	ID       string   `json:"id"`
	StartKey string   `json:"startKey"`
	EndKey   string   `json:"endKey"`
	ConfVer  string   `json:"confVer"`
	Version  string   `json:"version"`
	Leader   string   `json:"leaderStore"`
	Stores   []string `json:"stores"`
}

func (m *mock) regions() []regionView {
	out := []regionView{}
	for _, r := range m.cluster.ScanRegions(nil, nil, 0) {
		v := regionView{
			ID: strconv.FormatUint(r.Meta.Id, 10), StartKey: hex.EncodeToString(r.Meta.StartKey), EndKey: hex.EncodeToString(r.Meta.EndKey),
			ConfVer: strconv.FormatUint(r.Meta.RegionEpoch.GetConfVer(), 10), Version: strconv.FormatUint(r.Meta.RegionEpoch.GetVersion(), 10),
			Leader: strconv.FormatUint(r.Leader.GetStoreId(), 10),
		}
		for _, p := range r.Meta.Peers {
			v.Stores = append(v.Stores, strconv.FormatUint(p.StoreId, 10))
		}
		out = append(out, v)
	}
	return out
}

func (m *mock) split(key []byte) error {
	m.writes.Lock()
	defer m.writes.Unlock()
	region, leader, _ := m.cluster.GetRegionByKey(key)
	if region == nil {
		return fmt.Errorf("no region holds the key")
	}
	if string(region.StartKey) == string(key) {
		return fmt.Errorf("the key is already a region boundary")
	}
	peerIDs := m.cluster.AllocIDs(len(region.Peers))
	leaderPeer := peerIDs[0]
	for i, p := range region.Peers {
		if leader != nil && p.StoreId == leader.StoreId {
			leaderPeer = peerIDs[i]
		}
	}
	m.cluster.SplitRaw(region.Id, m.cluster.AllocID(), key, peerIDs, leaderPeer)
	return nil
}

// transferLeader moves the leader of the region holding key to the given store, or to the
// next store holding a peer when store is 0.
func (m *mock) transferLeader(key []byte, store uint64) error {
	m.writes.Lock()
	defer m.writes.Unlock()
	region, leader, _ := m.cluster.GetRegionByKey(key)
	if region == nil {
		return fmt.Errorf("no region holds the key")
	}
	peers := region.Peers
	sort.Slice(peers, func(i, j int) bool { return peers[i].StoreId < peers[j].StoreId })
	for i, p := range peers {
		if store != 0 && p.StoreId == store {
			m.cluster.ChangeLeader(region.Id, p.Id)
			return nil
		}
		if store == 0 && leader != nil && p.Id == leader.Id {
			m.cluster.ChangeLeader(region.Id, peers[(i+1)%len(peers)].Id)
			return nil
		}
	}
	return fmt.Errorf("no peer of the region on store %d", store)
}

func (m *mock) control() http.Handler {
	mux := http.NewServeMux()
	reply := func(w http.ResponseWriter, err error) {
		w.Header().Set("content-type", "application/json")
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]interface{}{"regions": m.regions()})
	}
	keyOf := func(r *http.Request) ([]byte, error) {
		key, err := hex.DecodeString(r.URL.Query().Get("key"))
		if err == nil && len(key) == 0 {
			err = fmt.Errorf("key (hex) is required")
		}
		return key, err
	}
	mux.HandleFunc("/regions", func(w http.ResponseWriter, r *http.Request) { reply(w, nil) })
	mux.HandleFunc("/split", func(w http.ResponseWriter, r *http.Request) {
		key, err := keyOf(r)
		if err == nil {
			err = m.split(key)
		}
		reply(w, err)
	})
	mux.HandleFunc("/transfer-leader", func(w http.ResponseWriter, r *http.Request) {
		key, err := keyOf(r)
		var store uint64
		if err == nil && r.URL.Query().Get("store") != "" {
			store, err = strconv.ParseUint(r.URL.Query().Get("store"), 10, 64)
		}
		if err == nil {
			err = m.transferLeader(key, store)
		}
		reply(w, err)
	})
	mux.HandleFunc("/store", func(w http.ResponseWriter, r *http.Request) {
		store, err := strconv.ParseUint(r.URL.Query().Get("store"), 10, 64)
		if err == nil {
			switch r.URL.Query().Get("state") {
			case "down":
				m.cluster.StopStore(store)
			case "up":
				m.cluster.StartStore(store)
			default:
				err = fmt.Errorf("state must be up or down")
			}
		}
		reply(w, err)
	})
	mux.HandleFunc("/busy", func(w http.ResponseWriter, r *http.Request) {
		store, err := strconv.ParseUint(r.URL.Query().Get("store"), 10, 64)
		count := 0
		if err == nil {
			count, err = strconv.Atoi(r.URL.Query().Get("count"))
		}
		if err == nil {
			m.busyMu.Lock()
			m.busy[store] = count
			m.busyMu.Unlock()
		}
		reply(w, err)
	})
	return mux
}

// ---------------------------------------------------------------- main

func listen() net.Listener {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	return l
}

func main() {
	stores := flag.Int("stores", 3, "number of TiKV stores, each on its own loopback port")
	watchStdin := flag.Bool("exit-on-stdin-eof", false, "exit when stdin closes (the parent that holds its other end has gone)")
	flag.Parse()

	client, cluster, pdClient, err := testutils.NewMockTiKV("", nil)
	if err != nil {
		log.Fatal(err)
	}
	m := &mock{client: client, cluster: cluster, pd: pdClient, busy: map[uint64]int{}}
	storeIDs, _, _, _ := testutils.BootstrapWithMultiStores(cluster, *stores)

	opts := []grpc.ServerOption{grpc.MaxRecvMsgSize(64 << 20), grpc.MaxSendMsgSize(64 << 20)}
	addrs := map[string]string{}
	var servers []*grpc.Server
	for _, id := range storeIDs {
		l := listen()
		addr := l.Addr().String()
		cluster.UpdateStoreAddr(id, addr)
		s := grpc.NewServer(opts...)
		tikvpb.RegisterTikvServer(s, &tikvServer{m: m, addr: addr, storeID: id})
		go func() { _ = s.Serve(l) }()
		servers = append(servers, s)
		addrs[strconv.FormatUint(id, 10)] = addr
	}

	pdListener := listen()
	pdAddr := pdListener.Addr().String()
	pdGrpc := grpc.NewServer(opts...)
	url := "http://" + pdAddr
	pdpb.RegisterPDServer(pdGrpc, &pdServer{m: m, member: &pdpb.Member{Name: "pd-mock", MemberId: clusterID + 1, ClientUrls: []string{url}, PeerUrls: []string{url}}})
	go func() { _ = pdGrpc.Serve(pdListener) }()
	servers = append(servers, pdGrpc)

	controlListener := listen()
	go func() { _ = http.Serve(controlListener, m.control()) }()

	line, _ := json.Marshal(map[string]interface{}{
		"pd": pdAddr, "control": controlListener.Addr().String(), "stores": addrs, "clusterId": strconv.FormatUint(clusterID, 10),
	})
	fmt.Println(string(line))

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	if *watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			signals <- syscall.SIGTERM
		}()
	}
	<-signals
	for _, s := range servers {
		s.Stop()
	}
}
