package org.csemu.fabric.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base image a fabric starts with: the one {@code ./csemu setup} built in the shared image cache, registered
 * under the default image's name when that name is free and the build left its {@code image.json}. In place, never
 * copied ({@link ImageRepository#addShared}): the cache is shared read-only by root's and every user's daemon.
 */
public final class BaseImage {
    private static final Logger LOG = LoggerFactory.getLogger(BaseImage.class);

    private BaseImage() {
    }

    /** Registers the image in {@code baseImageDir} (null: none) as {@code name}; empty when there was nothing to do. */
    public static Optional<Image> register(ImageRepository images, Path baseImageDir, String name)
            throws IOException, ImageException, InterruptedException {
        if (images.inspect(name).isPresent() || baseImageDir == null
                || !Files.isRegularFile(baseImageDir.resolve("image.json"))) {
            return Optional.empty();
        }
        Image image = images.addShared(baseImageDir, name);
        LOG.info("registered base image {} as '{}' from {} (shared, read-only)", image.shortId(), name,
                image.disk().getParent());
        return Optional.of(image);
    }
}
