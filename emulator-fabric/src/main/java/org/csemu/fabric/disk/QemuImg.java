package org.csemu.fabric.disk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.csemu.fabric.util.ProcessRunner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The few {@code qemu-img} operations the fabric needs, with their output parsed. */
public final class QemuImg {

    /** What {@code qemu-img info --output=json} says about a disk image. */
    public record Info(String format, long virtualSize, long actualSize, String backingFile, boolean dirty) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private QemuImg() {
    }

    /** Reads the format and sizes of an image; {@code -U} so a disk in use by a guest can be inspected too. */
    public static Info info(Path image) throws IOException, InterruptedException {
        ProcessRunner.Result result = ProcessRunner.run(TIMEOUT,
                List.of("qemu-img", "info", "-U", "--output=json", image.toString())).orThrow();
        JsonNode node = JSON.readTree(result.stdout());
        return new Info(node.path("format").asText(),
                node.path("virtual-size").asLong(-1),
                node.path("actual-size").asLong(-1),
                node.hasNonNull("backing-filename") ? node.get("backing-filename").asText() : null,
                node.path("dirty-flag").asBoolean(false));
    }

    /** Reads an image while forcing the format (so a raw file is never probed as something else). */
    public static Info info(Path image, String format) throws IOException, InterruptedException {
        ProcessRunner.Result result = ProcessRunner.run(TIMEOUT,
                List.of("qemu-img", "info", "-U", "-f", format, "--output=json", image.toString())).orThrow();
        JsonNode node = JSON.readTree(result.stdout());
        return new Info(node.path("format").asText(), node.path("virtual-size").asLong(-1),
                node.path("actual-size").asLong(-1),
                node.hasNonNull("backing-filename") ? node.get("backing-filename").asText() : null,
                node.path("dirty-flag").asBoolean(false));
    }

    /** Runs {@code qemu-img check}; returns null when consistent, else the tool's complaint. */
    public static String check(Path image, String format) throws IOException, InterruptedException {
        ProcessRunner.Result result = ProcessRunner.run(TIMEOUT,
                List.of("qemu-img", "check", "-U", "-f", format, image.toString()));
        return result.ok() ? null : (result.stderr().isBlank() ? result.stdout() : result.stderr()).strip();
    }

    /** Creates a qcow2 overlay backed by {@code base} (absolute path, format given, never probed). */
    public static void createOverlay(Path base, String baseFormat, Path overlay) throws IOException, InterruptedException {
        ProcessRunner.run(TIMEOUT, List.of("qemu-img", "create", "-q", "-f", "qcow2",
                "-F", baseFormat, "-b", base.toAbsolutePath().toString(), overlay.toString())).orThrow();
    }

    /** Converts any image (following its backing chain) to a raw file, e.g. to inspect a guest's writes. */
    public static void convertToRaw(Path image, Path raw) throws IOException, InterruptedException {
        ProcessRunner.run(Duration.ofMinutes(5), List.of("qemu-img", "convert", "-U", "-O", "raw",
                image.toString(), raw.toString())).orThrow();
    }
}
