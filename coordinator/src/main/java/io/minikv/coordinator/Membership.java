package io.minikv.coordinator;

import io.minikv.proto.MinikvException;
import io.minikv.volume.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftPeer;

/** Adds and removes coordinators: Raft configuration changes, checked first, answered with the new members. */
final class Membership {
    /** A new member must catch up (from a snapshot, if the log was purged) before the change commits. */
    private static final long ADD_TIMEOUT_MILLIS = 30_000;
    /**
     * Removing needs no catching up: moving the leadership and the change itself normally take about
     * a second, and the whole stays below the command line's default 10 s timeout.
     */
    private static final long REMOVE_TIMEOUT_MILLIS = 9_000;
    /** The least time left to the change itself for another leadership transfer to be tried. */
    private static final long CHANGE_MILLIS = 2_000;

    private static final long LEADER_POLL_MILLIS = 20;

    private final RaftNode raft;
    private final ClusterView view;

    Membership(RaftNode raft, ClusterView view) {
        this.raft = raft;
        this.view = view;
    }

    /**
     * Adds coordinator {@code id}, whose Raft endpoint is {@code address} ({@code host:port}).
     *
     * @throws MinikvException.InvalidArgument for a bad id or address
     * @throws MinikvException.Conflict when {@code id} is already a member
     */
    List<ClusterView.Coordinator> add(String id, String address) {
        try {
            CoordinatorConfig.checkId(id);
        } catch (IllegalArgumentException e) {
            throw new MinikvException.InvalidArgument(e.getMessage());
        }
        HostPort raftAddress;
        try {
            raftAddress = HostPort.parse(address);
        } catch (IllegalArgumentException e) {
            throw new MinikvException.InvalidArgument(e.getMessage());
        }
        Map<String, String> members = raft.members();
        if (members.containsKey(id)) {
            throw new MinikvException.Conflict("coordinator " + id + " is already a member");
        }
        List<RaftPeer> peers = peers(members);
        peers.add(RaftNode.peer(id, raftAddress));
        raft.setMembers(peers, ADD_TIMEOUT_MILLIS);
        return view.coordinators();
    }

    /**
     * Removes coordinator {@code id}. A leader first hands its leadership to another member, as etcd
     * advises before removing a leader: Ratis would otherwise close the leader's Raft member as the
     * change commits, and writes in flight there stalled behind that close instead of failing.
     *
     * @throws MinikvException.NotFound when it is not a member
     * @throws MinikvException.InvalidArgument when it is the last one
     * @throws MinikvException.Unavailable when the leadership could not be moved or the change did
     *     not finish in time; the group is then unchanged or (rarely) changed without a reply
     */
    List<ClusterView.Coordinator> remove(String id) {
        Map<String, String> members = raft.members();
        if (!members.containsKey(id)) {
            throw new MinikvException.NotFound("coordinator " + id + " is not a member");
        }
        if (members.size() == 1) {
            throw new MinikvException.InvalidArgument("the last coordinator cannot be removed");
        }
        members.remove(id);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REMOVE_TIMEOUT_MILLIS);
        moveLeadershipAway(id, List.copyOf(members.keySet()), deadline);
        raft.setMembers(peers(members), Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        return view.coordinators();
    }

    /**
     * Returns once a coordinator other than {@code id} is known to lead, transferring the leadership
     * to one of {@code successors} while {@code id} holds it. A transfer fails when the old leader
     * wins the election back or the successor is down; the next is tried while that leaves the change
     * itself enough time before {@code deadline} ({@link System#nanoTime}).
     */
    private void moveLeadershipAway(String id, List<String> successors, long deadline) {
        long lastStart = deadline - TimeUnit.MILLISECONDS.toNanos(RaftNode.TRANSFER_WAIT_MILLIS + CHANGE_MILLIS);
        MinikvException.Unavailable lastFailure = null;
        for (int attempt = 0; ; ) {
            String leader = raft.leaderId();
            if (leader != null && !leader.equals(id)) {
                return;
            }
            if (System.nanoTime() > lastStart) {
                throw new MinikvException.Unavailable((leader == null
                                ? "no coordinator leads"
                                : "coordinator " + id + " still leads: the leadership could not be moved"
                                        + (lastFailure == null ? "" : " (" + lastFailure.getMessage() + ")"))
                        + "; nothing was changed, retry");
            }
            if (id.equals(leader)) {
                try {
                    raft.transferLeadership(successors.get(attempt++ % successors.size()));
                } catch (MinikvException.Unavailable e) {
                    lastFailure = e;
                }
            } else {
                // An election is under way; this member learns its outcome from the winner's first heartbeat.
                sleep(LEADER_POLL_MILLIS);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MinikvException.Unavailable("the membership change was interrupted");
        }
    }

    private static List<RaftPeer> peers(Map<String, String> members) {
        List<RaftPeer> peers = new ArrayList<>();
        members.forEach((id, address) -> peers.add(RaftNode.peer(id, HostPort.parse(address))));
        return peers;
    }
}
