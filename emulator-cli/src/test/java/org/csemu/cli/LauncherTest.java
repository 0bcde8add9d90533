package org.csemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The {@code ./csemu} launcher on a fresh copy of the sources (what a clone has: no {@code target/}): it builds the
 * jar, makes the class-data archive, and later runs really map it (the JVM's class-loading log says which classes
 * came from the archive); a stale archive (jar rebuilt, JDK changed) is rebuilt, a damaged one is ignored by the JVM
 * without a word, and {@code CSEMU_CDS=off} runs without it. Every case must still answer {@code --version} exactly.
 *
 * <p>Concurrent: in the fast loop it runs beside the module's other classes (it mostly waits on the build, and shares
 * nothing with them: its own copy, its own temporary directories, no port).
 */
@Execution(ExecutionMode.CONCURRENT)
class LauncherTest {

    private static final Duration BUILD_LIMIT = Duration.ofMinutes(20);
    private static final Duration RUN_LIMIT = Duration.ofMinutes(5);
    private static final String SHARED_MAIN = "org.csemu.cli.Main source: shared objects file";
    private static final String SHARED_PICOCLI = "picocli.CommandLine source: shared objects file";
    private static final String PREPARING = "preparing the class-data archive";

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    @Test
    void buildsTheJarOnAFreshCloneAndStartsFromTheClassDataArchive() throws Exception {
        Path clone = copySources(tmp.resolve("clone"));
        Path jar = clone.resolve("emulator-cli/target/csemu.jar");
        Path archive = clone.resolve("emulator-cli/target/csemu.jsa");
        Path key = clone.resolve("emulator-cli/target/csemu.jsa.key");

        Run first = csemu(clone, Map.of(), BUILD_LIMIT, "--version");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).matches("csemu \\d+\\.\\d+\\.\\d+\\S*\\n");
        assertThat(first.err()).contains("building " + jar).contains(PREPARING);
        assertThat(jar).isRegularFile();
        assertThat(archive).isRegularFile();
        assertThat(key).isRegularFile();

        Run mapped = csemu(clone, Map.of("CSEMU_JAVA_OPTS", "-Xlog:class+load=info"), RUN_LIMIT, "--version");
        assertThat(mapped.code()).isZero();
        assertThat(mapped.err()).doesNotContain(PREPARING);
        assertThat(mapped.out()).contains(SHARED_MAIN).contains(SHARED_PICOCLI);

        // the jar was rebuilt: the archive is made again, then used
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        Run rebuilt = csemu(clone, Map.of("CSEMU_JAVA_OPTS", "-Xlog:class+load=info"), RUN_LIMIT, "--version");
        assertThat(rebuilt.code()).isZero();
        assertThat(rebuilt.err()).contains(PREPARING);
        assertThat(rebuilt.out()).contains(SHARED_MAIN);

        // another JDK made the archive: made again
        Files.writeString(key, Files.readString(key).replaceFirst("jvm=\\S+", "jvm=/opt/another-jdk/lib/server/libjvm.so"));
        Run otherJdk = csemu(clone, Map.of(), RUN_LIMIT, "--version");
        assertThat(otherJdk.code()).isZero();
        assertThat(otherJdk.err()).contains(PREPARING);
        assertThat(otherJdk.out()).isEqualTo(first.out());

        // an archive the JVM cannot use (damaged, or from a JDK the key cannot tell apart): ignored, silently
        Files.delete(archive);
        Files.write(archive, new byte[64 * 1024]);
        Run damaged = csemu(clone, Map.of("CSEMU_JAVA_OPTS", "-Xlog:class+load=info"), RUN_LIMIT, "--version");
        assertThat(damaged.code()).isZero();
        assertThat(damaged.err()).isEmpty();
        assertThat(damaged.out()).doesNotContain(SHARED_MAIN).contains("org.csemu.cli.Main source: file:")
                .contains(first.out()); // the JVM logs the classes it loads while exiting after it

        Run off = csemu(clone, Map.of("CSEMU_CDS", "off"), RUN_LIMIT, "--version");
        assertThat(off.code()).isZero();
        assertThat(off.err()).isEmpty();
        assertThat(off.out()).isEqualTo(first.out());
    }

    /** The project's sources as a clone has them: everything but build output and version control. */
    private static Path copySources(Path to) throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("csemu")).as("the launcher beside the modules").isRegularFile();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                if (!dir.equals(root) && (name.equals("target") || name.equals(".git"))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(root.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    Files.copy(file, to.resolve(root.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return to;
    }

    private static Run csemu(Path clone, Map<String, String> env, Duration limit, String... args) throws Exception {
        Path out = Files.createTempFile("launcher-out", ".txt");
        Path err = Files.createTempFile("launcher-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(clone.resolve("csemu").toString());
            pb.command().addAll(java.util.List.of(args));
            pb.environment().remove("CSEMU_JAVA_OPTS");
            pb.environment().remove("CSEMU_CDS");
            pb.environment().remove("CSEMU_REBUILD");
            pb.environment().putAll(env);
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("./csemu " + String.join(" ", args) + " did not end within " + limit
                        + "; stderr: " + Files.readString(err));
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            delete(out);
            delete(err);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
