package org.cxrclip.apps;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cxrclip.clip.weights.ClipConfig;
import org.cxrclip.clip.weights.SafetensorsWriter;
import org.cxrclip.clip.weights.StateDict;
import org.cxrclip.clip.weights.WeightFileException;
import org.cxrclip.clip.weights.WeightFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxrclip convert}: any CLIP weight file we read (OpenAI TorchScript .pt, torch.save state dicts, OpenAI- or
 * HuggingFace-named safetensors) → OpenAI-named float32 safetensors, checked against the inferred configuration.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert CLIP weights (TorchScript .pt, torch.save state dict, OpenAI or HuggingFace "
                + "safetensors) to OpenAI-named float32 safetensors; prints "
                + "'convert tensors=N parameters=P <config> out=FILE'.")
final class ConvertCommand implements Callable<Integer> {
    @Option(names = "--in", required = true, description = "Input weight file.")
    Path in;

    @Option(names = "--out", required = true, description = "Output .safetensors file (written atomically).")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try {
            StateDict sd = WeightFiles.open(in);
            ClipConfig config = ClipConfig.inferAndValidate(sd);
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("format", "pt");
            metadata.put("source", in.getFileName().toString());
            metadata.put("cxrclip.config", config.summary());
            SafetensorsWriter.write(out, sd, metadata);
            spec.commandLine().getOut().printf("convert tensors=%d parameters=%d %s out=%s%n", sd.size(),
                    sd.parameterCount(), config.summary(), out);
            spec.commandLine().getOut().flush();
            return 0;
        } catch (WeightFileException e) {
            spec.commandLine().getErr().println("convert: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            spec.commandLine().getErr().println("convert: " + e);
            return 1;
        }
    }
}
