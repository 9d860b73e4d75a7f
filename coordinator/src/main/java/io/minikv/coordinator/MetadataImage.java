package io.minikv.coordinator;

import io.minikv.proto.v1.CoordinatorState;
import io.minikv.proto.v1.KeyState;
import io.minikv.proto.v1.VolumeState;
import java.util.List;

/**
 * The metadata as of one applied entry, frozen ({@link MetadataState#image}): what a snapshot file
 * holds ({@link MetadataSnapshot}). Its entries are the state's own immutable protobufs, so freezing
 * copies one reference per key, not the keys; commands applied afterwards replace entries in the
 * state and leave the image as it was.
 */
record MetadataImage(List<CoordinatorState> coordinators, List<VolumeState> volumes, List<KeyState> keys) {}
