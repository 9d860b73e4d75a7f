package io.minikv.volume;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends a server stream from a blocking thread without outrunning the client: each message waits
 * until the transport is ready, so a slow reader never makes the server buffer a whole blob.
 */
public final class ReadySender<T> {
    private final ServerCallStreamObserver<T> observer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();

    public ReadySender(ServerCallStreamObserver<T> observer) {
        this.observer = observer;
        observer.setOnReadyHandler(this::signal);
        observer.setOnCancelHandler(this::signal);
    }

    /** Sends one message; returns false when the client cancelled the call. */
    public boolean send(T message) throws InterruptedException {
        lock.lock();
        try {
            while (!observer.isReady() && !observer.isCancelled()) {
                ready.await();
            }
        } finally {
            lock.unlock();
        }
        if (observer.isCancelled()) {
            return false;
        }
        observer.onNext(message);
        return true;
    }

    private void signal() {
        lock.lock();
        try {
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
