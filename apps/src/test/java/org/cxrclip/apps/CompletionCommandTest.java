package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CompletionCommandTest {
    @Test
    void completionScriptOffersEverySubcommandAndTheirOptions() {
        CommandRun r = CommandRun.of("generate-completion");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("complete -F _complete_cxrclip"), "no complete line");
        for (String name : new CommandLine(new Main()).getSubcommands().keySet())
            assertTrue(r.out().contains(name), "no completion for '" + name + "'");
        assertTrue(r.out().contains("--cml-warmup-epochs") && r.out().contains("--manifest"), "train's options are completed");
    }
}
