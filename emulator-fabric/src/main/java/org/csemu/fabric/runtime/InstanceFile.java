package org.csemu.fabric.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.csemu.fabric.persist.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code instance.json} in an instance's directory: who the files belong to (so leftover disks without a domain can
 * be reported to recovery) and which generations the disks on disk were made for.
 */
public record InstanceFile(String fabricId, String deploymentId, String roleName, String instanceId,
                           long overlayGeneration, long recycleGeneration) {
    static final String NAME = "instance.json";
    private static final Logger LOG = LoggerFactory.getLogger(InstanceFile.class);

    /** Every readable {@code instance.json} under {@code <data>/deployments/*}{@code /instances/*}. */
    static List<InstanceFile> scan(Path dataDir) {
        List<InstanceFile> out = new ArrayList<>();
        Path deployments = dataDir.resolve("deployments");
        if (!Files.isDirectory(deployments)) {
            return out;
        }
        try (DirectoryStream<Path> deps = Files.newDirectoryStream(deployments)) {
            for (Path dep : deps) {
                Path instances = dep.resolve("instances");
                if (!Files.isDirectory(instances)) {
                    continue;
                }
                try (DirectoryStream<Path> inst = Files.newDirectoryStream(instances)) {
                    for (Path dir : inst) {
                        Path f = dir.resolve(NAME);
                        if (Files.isRegularFile(f)) {
                            try {
                                out.add(Json.mapper().readValue(f.toFile(), InstanceFile.class));
                            } catch (IOException e) {
                                LOG.warn("unreadable {}: {}", f, e.getMessage());
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot scan {}: {}", deployments, e.getMessage());
        }
        return out;
    }
}
