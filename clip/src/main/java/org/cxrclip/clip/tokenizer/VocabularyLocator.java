package org.cxrclip.clip.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Finds CLIP's BPE vocabulary {@code bpe_simple_vocab_16e6.txt.gz}, which we may not redistribute in the
 * repository: an explicit path (e.g. {@code --vocab}), else the environment variable {@code CXRCLIP_VOCAB}, else
 * {@code ~/.cache/cxrclip/bpe_simple_vocab_16e6.txt.gz}, downloading it there once from OpenAI's repository when
 * it is missing (temp file in the same directory, then an atomic rename, so a half-written file is never seen).
 *
 * <p>Every file, whether given, cached or downloaded, must have OpenAI's sha256: a different vocabulary would
 * not fail, it would silently produce different ids, so a mismatch is an error naming the file and both hashes.
 * Offline or failing downloads end in an error that says where to put the file and which variable to set.
 */
public final class VocabularyLocator {
    public static final String FILE_NAME = "bpe_simple_vocab_16e6.txt.gz";
    public static final String ENV_VAR = "CXRCLIP_VOCAB";
    public static final String SHA256 = "924691ac288e54409236115652ad4aa250f48203de50a9e4722a6ecd48d6804a";
    public static final URI DOWNLOAD_URL =
            URI.create("https://github.com/openai/CLIP/raw/main/clip/bpe_simple_vocab_16e6.txt.gz");

    private final URI downloadUrl;
    private final String expectedSha256;
    private final String envValue;
    private final Path cacheDir;

    /** The standard locations: {@code CXRCLIP_VOCAB} from the environment, cache under the user's home. */
    public VocabularyLocator() {
        this(DOWNLOAD_URL, SHA256, System.getenv(ENV_VAR),
                Path.of(System.getProperty("user.home"), ".cache", "cxrclip"));
    }

    /** Tests inject a local server, a hash and a cache directory here. */
    VocabularyLocator(URI downloadUrl, String expectedSha256, String envValue, Path cacheDir) {
        this.downloadUrl = downloadUrl;
        this.expectedSha256 = expectedSha256;
        this.envValue = envValue;
        this.cacheDir = cacheDir;
    }

    /** Where a cached or downloaded vocabulary lives. */
    public Path cachedFile() {
        return cacheDir.resolve(FILE_NAME);
    }

    /**
     * The verified vocabulary file: {@code explicit} when not null, else {@code $CXRCLIP_VOCAB} when set, else
     * the cache, downloaded if absent.
     */
    public Path locate(Path explicit) throws IOException {
        if (explicit != null) {
            return verified(explicit, "given path");
        }
        if (envValue != null && !envValue.isBlank()) {
            return verified(Path.of(envValue), "environment variable " + ENV_VAR);
        }
        Path cached = cachedFile();
        if (Files.isRegularFile(cached)) {
            return verified(cached, "cache");
        }
        download(cached);
        return cached;
    }

    private Path verified(Path file, String origin) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("CLIP vocabulary " + file + " (from the " + origin + ") does not exist or is not"
                    + " a file; it should be OpenAI's " + FILE_NAME + " (" + DOWNLOAD_URL + ")");
        }
        String actual = sha256(file);
        if (!actual.equals(expectedSha256)) {
            throw new IOException("CLIP vocabulary " + file + " (from the " + origin + ") has sha256 " + actual
                    + ", not " + expectedSha256 + " of OpenAI's " + FILE_NAME + "; a different vocabulary would"
                    + " give wrong token ids. Replace it with " + DOWNLOAD_URL);
        }
        return file;
    }

    private void download(Path target) throws IOException {
        Files.createDirectories(cacheDir);
        Path temp = Files.createTempFile(cacheDir, FILE_NAME, ".part");
        try {
            String actual = fetchInto(temp, target);
            if (!actual.equals(expectedSha256)) {
                throw new IOException("CLIP vocabulary downloaded from " + downloadUrl + " has sha256 " + actual
                        + ", not " + expectedSha256 + "; it was discarded. " + whereToPutIt(target));
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Streams the download into {@code temp} and returns its sha256; network failures say what to do instead. */
    private String fetchInto(Path temp, Path target) throws IOException {
        try (HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(15)).build()) {
            HttpRequest request = HttpRequest.newBuilder(downloadUrl).timeout(Duration.ofSeconds(120)).GET().build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest digest = newSha256();
            try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(temp)) {
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP status " + response.statusCode());
                }
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new IOException("CLIP vocabulary " + FILE_NAME + " was not found and could not be downloaded from "
                    + downloadUrl + " (" + e + "). " + whereToPutIt(target), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("download of " + downloadUrl + " was interrupted. " + whereToPutIt(target), e);
        }
    }

    private static String whereToPutIt(Path target) {
        return "Put " + FILE_NAME + " (sha256 " + SHA256 + ", from " + DOWNLOAD_URL + ") at " + target
                + ", or set " + ENV_VAR + "=/path/to/" + FILE_NAME + ", or pass --vocab /path/to/" + FILE_NAME + ".";
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = newSha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK lacks SHA-256", e);
        }
    }
}
