package io.minikv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pins the crash model of {@link LossyDisk}, on which the power-loss tests rely. */
class LossyDiskTest {
    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(UTF_8));
    }

    private static String text(LossyDisk disk, String name) throws IOException {
        return new String(disk.contents(name), UTF_8);
    }

    @Test
    void syncedBytesAndSyncedNamesSurviveEveryCrash() throws IOException {
        for (long seed = 0; seed < 200; seed++) {
            LossyDisk disk = new LossyDisk(seed);
            Disk mount = disk.mount();
            DiskFile file = mount.open("a", true);
            file.write(bytes("durable"), 0);
            file.force();
            mount.syncDirectory();
            disk.crash();
            assertThat(text(disk, "a")).isEqualTo("durable");
        }
    }

    @Test
    void unsyncedWritesSurviveOnlyAsAPrefixWhoseNextWriteMayBeTornAtASector() throws IOException {
        Set<String> outcomes = new HashSet<>();
        for (long seed = 0; seed < 500; seed++) {
            LossyDisk disk = new LossyDisk(seed);
            Disk mount = disk.mount();
            DiskFile file = mount.open("a", true);
            mount.syncDirectory();
            file.write(bytes("a".repeat(100)), 0);
            file.force();
            file.write(bytes("b".repeat(600)), 100);
            file.write(bytes("c".repeat(100)), 700);
            disk.crash();
            String after = text(disk, "a");
            assertThat(after).matches("a{100}(b{600}(c{100}|\\x00{100})?|b{412}(\\x00{188})?|\\x00{600})?");
            outcomes.add(after.replaceAll("(.)\\1*", "$1"));
        }
        assertThat(outcomes).containsExactlyInAnyOrder("a", "ab", "abc", "a\0", "ab\0");
    }

    @Test
    void unsyncedDirectoryChangesMayBeUndone() throws IOException {
        Set<String> outcomes = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            LossyDisk disk = new LossyDisk(seed);
            Disk mount = disk.mount();
            DiskFile file = mount.open("new.tmp", true);
            file.write(bytes("x"), 0);
            file.force();
            mount.rename("new.tmp", "new");
            disk.crash();
            Disk after = disk.mount();
            outcomes.add(after.list().toString());
        }
        assertThat(outcomes).containsExactlyInAnyOrder("[]", "[new.tmp]", "[new]");
    }

    @Test
    void aRenamedFileKeepsItsBytesAndAnUnlinkedOpenFileStaysReadable() throws IOException {
        LossyDisk disk = new LossyDisk(1);
        Disk mount = disk.mount();
        DiskFile file = mount.open("a", true);
        file.write(bytes("abc"), 0);
        mount.rename("a", "b");
        mount.delete("b");
        ByteBuffer read = ByteBuffer.allocate(3);
        file.readFully(read, 0);
        assertThat(new String(read.array(), UTF_8)).isEqualTo("abc");
        assertThat(mount.list()).isEmpty();
    }

    @Test
    void aCrashKillsTheMountAndCrashAfterFailsTheNthMutation() throws IOException {
        LossyDisk disk = new LossyDisk(1);
        Disk mount = disk.mount();
        DiskFile file = mount.open("a", true);
        mount.syncDirectory();
        disk.crashAfter(2, false);
        file.write(bytes("one"), 0);
        assertThatThrownBy(() -> file.write(bytes("two"), 3)).isInstanceOf(IOException.class);
        assertThat(disk.isDead()).isTrue();
        assertThatThrownBy(() -> file.read(ByteBuffer.allocate(1), 0)).isInstanceOf(IOException.class);
        assertThatThrownBy(mount::list).isInstanceOf(IOException.class);
        assertThat(text(disk, "a")).as("a process crash keeps unsynced bytes").isEqualTo("one");
        Disk next = disk.mount();
        assertThat(next.list()).containsExactly("a");
    }
}
