package org.cxrclip.spark;

import java.io.Serializable;
import java.util.Locale;

/**
 * Test hook of data-parallel training: how one rank dies, and just before which step (after {@code step} steps
 * are done). {@link Kind#THROW} fails the task inside a living executor; {@link Kind#HALT_JVM} ends the whole
 * executor JVM at once, as a crashed or lost machine does: no exception, no task-failure report, no shutdown
 * hooks, the sockets simply close. Spark learns of it from the standalone worker or the heartbeat timeout.
 * {@link Kind#THROW_BEFORE_COMMIT} fails rank 0 between uploading the checkpoint of step {@code step} to the run
 * folder and committing it, so that the previous checkpoint is the one a retry resumes from.
 */
public record InjectedFailure(Kind kind, long step) implements Serializable {
    public enum Kind { NONE, THROW, HALT_JVM, THROW_BEFORE_COMMIT }

    /** Exit status of a halted executor: it shows in the worker's log as "exited with code 86". */
    public static final int HALT_STATUS = 86;

    public static final InjectedFailure NONE = new InjectedFailure(Kind.NONE, -1);

    public InjectedFailure {
        if (kind == null) throw new IllegalArgumentException("failure kind is null");
        if ((kind == Kind.NONE) != (step < 0))
            throw new IllegalArgumentException("a failure needs a step >= 0, and no failure none: " + kind + " at " + step);
    }

    /** From the command line: "none", or "throw:K" / "halt:K" / "commit:K". */
    public static InjectedFailure parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.equals("none")) return NONE;
        int colon = t.indexOf(':');
        if (colon > 0) {
            Kind k = switch (t.substring(0, colon)) {
                case "throw" -> Kind.THROW;
                case "halt" -> Kind.HALT_JVM;
                case "commit" -> Kind.THROW_BEFORE_COMMIT;
                default -> null;
            };
            try {
                if (k != null) return new InjectedFailure(k, Long.parseLong(t.substring(colon + 1)));
            } catch (NumberFormatException e) { // falls through to the message
            }
        }
        throw new IllegalArgumentException("failure must be none, throw:STEP, halt:STEP or commit:STEP, got '" + s + "'");
    }

    public boolean active() {
        return kind != Kind.NONE;
    }

    /** The rank that fails: rank 0 for a commit (only it publishes checkpoints), else the last. */
    public int rank(int workers) {
        return kind == Kind.THROW_BEFORE_COMMIT ? 0 : workers - 1;
    }

    /** Called by rank 0 after uploading the checkpoint of step {@code step}, before committing it. */
    void beforeCommit(long checkpointStep, int rank) {
        if (kind == Kind.THROW_BEFORE_COMMIT && checkpointStep == step)
            throw new IllegalStateException("injected failure of rank " + rank + " before committing the checkpoint of step " + step);
    }

    /** Called by the trainer before each step; fails when {@code done} steps are done. */
    void beforeStep(long done, int rank) {
        if (done != step) return;
        switch (kind) {
            case NONE, THROW_BEFORE_COMMIT -> { }
            case THROW -> throw new IllegalStateException("injected failure of rank " + rank + " before step " + done);
            case HALT_JVM -> {
                System.err.println("cxrclip: injected failure: halting the JVM of rank " + rank + " before step " + done);
                System.err.flush();
                Runtime.getRuntime().halt(HALT_STATUS);
            }
        }
    }
}
