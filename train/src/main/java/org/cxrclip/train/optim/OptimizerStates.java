package org.cxrclip.train.optim;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Validation shared by the optimisers' {@code loadState}: the state must belong to them and to these parameters. */
final class OptimizerStates {
    private OptimizerStates() {}

    /**
     * Every stepped parameter is ours and has all its required buffers; every buffer belongs to a stepped
     * parameter (optional ones may be absent).
     */
    static void checkKeys(String optimizer, OptimizerState state, List<ParameterSlot> slots, List<String> suffixes,
                          List<String> optionalSuffixes) {
        if (state == null) throw new IllegalArgumentException(optimizer + ": state is null");
        if (!state.optimizer().equals(optimizer))
            throw new IllegalArgumentException(optimizer + ": cannot load state saved by '" + state.optimizer() + "'");
        Set<String> names = new HashSet<>();
        for (ParameterSlot s : slots) names.add(s.name);
        Set<String> expected = new HashSet<>();
        for (var e : state.paramSteps().entrySet()) {
            if (!names.contains(e.getKey()))
                throw new IllegalArgumentException(optimizer + " state: parameter '" + e.getKey()
                        + "' is not among the parameters being optimised");
            if (e.getValue() == null || e.getValue() < 0)
                throw new IllegalArgumentException(optimizer + " state: bad step " + e.getValue() + " for '" + e.getKey() + "'");
            for (String suffix : suffixes) {
                String key = e.getKey() + suffix;
                if (!state.buffers().containsKey(key))
                    throw new IllegalArgumentException(optimizer + " state: buffer '" + key + "' is missing");
                expected.add(key);
            }
            for (String suffix : optionalSuffixes) expected.add(e.getKey() + suffix);
        }
        for (String key : state.buffers().keySet())
            if (!expected.contains(key))
                throw new IllegalArgumentException(optimizer + " state: unexpected buffer '" + key + "'");
    }
}
