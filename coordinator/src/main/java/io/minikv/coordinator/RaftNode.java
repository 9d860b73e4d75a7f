package io.minikv.coordinator;

import com.google.protobuf.InvalidProtocolBufferException;
import io.minikv.proto.MinikvException;
import io.minikv.proto.v1.MetadataCommand;
import io.minikv.proto.v1.MetadataResult;
import io.minikv.volume.HostPort;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.api.AdminApi;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * This coordinator's member of the Raft group (Apache Ratis over gRPC) and a Raft client for it:
 * submits metadata commands, answers linearizable queries, reports the role and term, and changes
 * the membership. Reads use Ratis' read index (LINEARIZABLE) with the leader lease enabled: the
 * leader answers from its state while its lease holds and confirms leadership with a heartbeat
 * round otherwise; a follower asks the leader for the commit index and waits until it has applied it.
 */
final class RaftNode implements Closeable {
    /** Every minikv cluster's Raft group has this id: a coordinator serves one cluster. */
    static final RaftGroupId GROUP_ID =
            RaftGroupId.valueOf(UUID.nameUUIDFromBytes("minikv-coordinators".getBytes(StandardCharsets.UTF_8)));

    private static final TimeDuration REQUEST_TIMEOUT = TimeDuration.valueOf(3, TimeUnit.SECONDS);
    private static final long CALL_TIMEOUT_MILLIS = 10_000;
    /** Ratis' own limit on a leadership transfer; one normally takes less than a second. */
    private static final long TRANSFER_TIMEOUT_MILLIS = 3_000;
    /** How long {@link #transferLeadership} waits at most for the leader's answer. */
    static final long TRANSFER_WAIT_MILLIS = TRANSFER_TIMEOUT_MILLIS + 1_000;

    private final RaftServer server;
    private final RaftClient client;
    private final RaftClient admin;
    private final RaftPeerId self;
    private final ClientId localClient = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final ExecutorService submitters = Executors.newVirtualThreadPerTaskExecutor();

    private RaftNode(RaftServer server, RaftClient client, RaftClient admin, RaftPeerId self) {
        this.server = server;
        this.client = client;
        this.admin = admin;
        this.self = self;
    }

    static RaftNode start(CoordinatorConfig config, MetadataStateMachine stateMachine) throws IOException {
        RaftProperties properties = properties(config);
        RaftGroup group = RaftGroup.valueOf(GROUP_ID, peers(config.peers()));
        // A joining coordinator starts with no configuration at all (as a server recovering a group
        // from its directory does): Ratis then keeps it in its initializing state, with no election
        // timer, until the leader's configuration with it arrives. Started as a member of its own
        // list, it would stand for election while catching up, find itself outside the configuration
        // of the snapshot it installed, and shut down.
        RaftGroup serverGroup = config.joining() ? RaftGroup.valueOf(GROUP_ID) : group;
        RaftPeerId self = RaftPeerId.valueOf(config.id());
        RaftServer server = RaftServer.newBuilder()
                .setServerId(self)
                .setGroup(serverGroup)
                .setStateMachine(stateMachine)
                .setProperties(properties)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        server.start();
        RaftProperties clientProperties = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(clientProperties, REQUEST_TIMEOUT);
        RaftClient client = newClient(clientProperties, group);
        // A membership change waits for a new member to catch up, which can take much longer than a write.
        RaftProperties adminProperties = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(adminProperties, TimeDuration.valueOf(30, TimeUnit.SECONDS));
        RaftClient admin = RaftClient.newBuilder()
                .setProperties(adminProperties)
                .setRaftGroup(group)
                // The client also sleeps this long after a member answers that another one leads, which
                // a membership change meets twice when it moves the leadership first: short sleeps.
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                        100, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .build();
        return new RaftNode(server, client, admin, self);
    }

    private static RaftClient newClient(RaftProperties properties, RaftGroup group) {
        return RaftClient.newBuilder()
                .setProperties(properties)
                .setRaftGroup(group)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                        20, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .build();
    }

    private static RaftProperties properties(CoordinatorConfig config) {
        RaftProperties properties = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(properties, List.of(config.dbDir().toFile()));
        GrpcConfigKeys.Server.setHost(properties, config.raft().host());
        GrpcConfigKeys.Server.setPort(properties, config.raft().port());
        long election = config.electionTimeout().toMillis();
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(election, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(2 * election, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, config.snapshotEvery());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        RaftServerConfigKeys.Log.setPurgeGap(properties, (int) Math.min(1024, config.snapshotEvery()));
        // Ratis keeps the entries of the open segment and of up to segmentCacheNumMax closed ones in
        // memory (6 by default). Segments of 12.8 MiB held each entry for minutes under load: long enough
        // to be copied from survivor space to survivor space at every young collection and then promoted,
        // the most expensive lifetime for the collector (docs/benchmarks.md, session 23). Segments of
        // 2 MiB, one closed one cached, hold an entry for seconds. Only closed segments are purged, so
        // small ones also let the log be purged close behind each snapshot.
        long segmentBytes = Math.clamp(config.snapshotEvery() * 256, 64 * 1024, 2 * 1024 * 1024);
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf(segmentBytes));
        RaftServerConfigKeys.Log.setSegmentCacheNumMax(properties, 1);
        // Ratis retries a silent follower every 1 s, then every 5 s (1ms,10, 1s,20, 5s,1000): a coordinator
        // restarted after a crash heard nothing for seconds and kept standing for election in vain.
        properties.set(RaftServerConfigKeys.Log.Appender.RETRY_POLICY_KEY, "1ms,10, 100ms,100, 250ms,1000000");
        // Ratis appends an entry recording the commit index after every commit, so that a server can
        // apply what was committed even when a majority is down. Raft does not need it (a restarted
        // member learns the commit index from the leader), it costs a log write and a replication per
        // commit, and it broke leadership transfers: the leader appended one after finding the
        // transferee up to date, the transferee then lost its election for a shorter log, and the old
        // leader was elected again (remove-node timed out in 1 of 8 tries under load).
        RaftServerConfigKeys.Log.setLogMetadataEnabled(properties, false);
        return properties;
    }

    static List<RaftPeer> peers(Map<String, HostPort> peers) {
        List<RaftPeer> list = new ArrayList<>();
        peers.forEach((id, address) -> list.add(peer(id, address)));
        return list;
    }

    static RaftPeer peer(String id, HostPort address) {
        return RaftPeer.newBuilder().setId(id).setAddress(address.toString()).build();
    }

    /**
     * Appends {@code command} to the log and waits for its outcome. On the leader (where writes run)
     * the request goes straight to the local server; elsewhere a Raft client sends it to the leader.
     */
    MetadataResult.Outcome submit(MetadataCommand command) {
        return submitForResult(command).getOutcome();
    }

    /** Like {@link #submit}, with the whole result: a batch of writes has an outcome for each. */
    MetadataResult submitForResult(MetadataCommand command) {
        Message message = Message.valueOf(ByteString.copyFrom(command.toByteArray()));
        RaftClientReply reply = await(
                isLeader()
                        ? local(message, RaftClientRequest.writeRequestType())
                        : client.async().send(message),
                "the metadata change");
        try {
            return MetadataResult.parseFrom(reply.getMessage().getContent().toByteArray());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unreadable metadata result", e);
        }
    }

    /**
     * Returns once this coordinator has applied everything committed when it was called: the local
     * server obtains a read index (the leader's commit index; the leader itself, while its lease
     * holds, without a round trip) and answers once it has applied that far.
     *
     * @throws MinikvException.Unavailable when no read index can be had in time
     */
    void readBarrier() {
        await(local(Message.EMPTY, RaftClientRequest.readRequestType()), "the metadata read");
    }

    /**
     * A request to this coordinator's own server, without a network hop or a client-side sequence:
     * concurrent requests are independent, so they share log syncs.
     */
    private CompletableFuture<RaftClientReply> local(Message message, RaftClientRequest.Type type) {
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(localClient)
                .setServerId(self)
                .setGroupId(GROUP_ID)
                .setCallId(callIds.incrementAndGet())
                .setMessage(message)
                .setType(type)
                .build();
        // Ratis' "async" submit runs the request on its client executor and waits for it there. A
        // leader removed from the group closes its division while holding the server's lock and waits
        // up to a day for that executor, whose thread waits for the same lock (Ratis 3.3.0): the wait
        // happens on a thread of its own, so that the caller's timeout still holds.
        return CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return server.submitClientRequestAsync(request);
                            } catch (IOException e) {
                                return CompletableFuture.<RaftClientReply>failedFuture(e);
                            }
                        },
                        submitters)
                .thenCompose(reply -> reply);
    }

    private static RaftClientReply await(Future<RaftClientReply> future, String what) {
        return await(future, CALL_TIMEOUT_MILLIS, what);
    }

    /**
     * Waits up to {@code timeoutMillis} for a request's reply, cancelling it after that (a task on
     * {@link #submitters} is interrupted); a failure of any kind is Unavailable, naming {@code what}.
     */
    private static RaftClientReply await(Future<RaftClientReply> future, long timeoutMillis, String what) {
        RaftClientReply reply;
        try {
            reply = future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new MinikvException.Unavailable(
                    what + " timed out after " + timeoutMillis + " ms: no Raft leader answered");
        } catch (ExecutionException | CompletionException e) {
            throw new MinikvException.Unavailable(
                    what + " failed: " + (e.getCause() == null ? e : e.getCause()).getMessage());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new MinikvException.Unavailable(what + " was interrupted");
        }
        if (!reply.isSuccess()) {
            throw new MinikvException.Unavailable(what + " failed: "
                    + (reply.getException() == null
                            ? "no leader"
                            : reply.getException().getMessage()));
        }
        return reply;
    }

    private DivisionInfo info() {
        try {
            return server.getDivision(GROUP_ID).getInfo();
        } catch (IOException e) {
            throw new IllegalStateException("the Raft group is not running", e);
        }
    }

    String id() {
        return self.toString();
    }

    /** Whether this coordinator leads and has applied every entry of earlier terms. */
    boolean isLeaderReady() {
        DivisionInfo info = info();
        return info.isLeader() && info.isLeaderReady();
    }

    boolean isLeader() {
        return info().isLeader();
    }

    /** The leader's id, or null when none is known. */
    String leaderId() {
        RaftPeerId leader = info().getLeaderId();
        return leader == null ? null : leader.toString();
    }

    long term() {
        return info().getCurrentTerm();
    }

    long appliedIndex() {
        return info().getLastAppliedIndex();
    }

    long commitIndex() {
        try {
            return server.getDivision(GROUP_ID).getRaftLog().getLastCommittedIndex();
        } catch (IOException e) {
            throw new IllegalStateException("the Raft group is not running", e);
        }
    }

    /** The first index still in the Raft log: above 0 once a snapshot let the log be purged. */
    long logStartIndex() {
        try {
            return server.getDivision(GROUP_ID).getRaftLog().getStartIndex();
        } catch (IOException e) {
            throw new IllegalStateException("the Raft group is not running", e);
        }
    }

    /** The log index of the latest metadata snapshot, or -1 when there is none. */
    long snapshotIndex() {
        try {
            SnapshotInfo snapshot =
                    server.getDivision(GROUP_ID).getStateMachine().getLatestSnapshot();
            return snapshot == null ? -1 : snapshot.getIndex();
        } catch (IOException e) {
            throw new IllegalStateException("the Raft group is not running", e);
        }
    }

    /** "leader", "follower", "candidate" or "listener". */
    String role() {
        RaftPeerRole role = info().getCurrentRole();
        return role.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The current members: id to Raft address. */
    Map<String, String> members() {
        Map<String, String> members = new java.util.TreeMap<>();
        try {
            for (RaftPeer peer : server.getDivision(GROUP_ID).getRaftConf().getCurrentPeers()) {
                members.put(peer.getId().toString(), peer.getAddress());
            }
        } catch (IOException e) {
            throw new IllegalStateException("the Raft group is not running", e);
        }
        return members;
    }

    /**
     * Makes {@code id} the leader: the current leader waits until it has caught up, then has it stand
     * for election.
     *
     * @throws MinikvException.Unavailable when that did not happen within a few seconds
     */
    void transferLeadership(String id) {
        administer(
                "moving the leadership to " + id,
                TRANSFER_WAIT_MILLIS,
                api -> api.transferLeadership(RaftPeerId.valueOf(id), TRANSFER_TIMEOUT_MILLIS));
    }

    /**
     * Changes the group to exactly {@code peers} (a Raft configuration change through the leader),
     * waiting at most {@code timeoutMillis}: a new member must catch up first.
     *
     * @throws MinikvException.Unavailable when it failed or did not finish in time
     */
    void setMembers(List<RaftPeer> peers, long timeoutMillis) {
        administer("the membership change", timeoutMillis, api -> api.setConfiguration(peers));
    }

    private interface AdminCall {
        RaftClientReply call(AdminApi api) throws IOException;
    }

    /**
     * Runs one admin request through the leader on a thread of its own, interrupted (gRPC then
     * cancels it) after {@code timeoutMillis}: Ratis' own deadline on it is the admin client's 30 s
     * request timeout, longer than an HTTP client waits, and a transfer whose old leader was elected
     * again once still had no answer after 14 s.
     */
    private void administer(String what, long timeoutMillis, AdminCall request) {
        await(submitters.submit(() -> request.call(admin.admin())), timeoutMillis, what);
    }

    @Override
    public void close() throws IOException {
        try {
            client.close();
            admin.close();
        } finally {
            try {
                server.close();
            } finally {
                submitters.shutdownNow();
            }
        }
    }
}
