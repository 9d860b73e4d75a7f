package io.minikv.cli;

/** The part of minikv a command waits for; named in the message of a command this build cannot run. */
enum Milestone {
    REPLICATED_CLUSTER("the replicated cluster");

    private final String description;

    Milestone(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }
}
