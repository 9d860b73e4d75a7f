package io.minikv.coordinator;

import io.minikv.proto.MinikvException;
import io.minikv.volume.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.ratis.protocol.RaftPeer;

/** Adds and removes coordinators: Raft configuration changes, checked first, answered with the new members. */
final class Membership {
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
        raft.setMembers(peers);
        return view.coordinators();
    }

    /**
     * Removes coordinator {@code id}. The leader first hands its leadership to another member, as
     * etcd advises before removing a leader: Ratis would otherwise close the leader's Raft member as
     * the change commits, and writes in flight there stalled behind that close instead of failing.
     *
     * @throws MinikvException.NotFound when it is not a member
     * @throws MinikvException.InvalidArgument when it is the last one
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
        if (id.equals(raft.leaderId())) {
            raft.transferLeadership(members.keySet().iterator().next());
        }
        raft.setMembers(peers(members));
        return view.coordinators();
    }

    private static List<RaftPeer> peers(Map<String, String> members) {
        List<RaftPeer> peers = new ArrayList<>();
        members.forEach((id, address) -> peers.add(RaftNode.peer(id, HostPort.parse(address))));
        return peers;
    }
}
