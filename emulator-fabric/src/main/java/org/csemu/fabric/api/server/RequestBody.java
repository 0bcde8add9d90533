package org.csemu.fabric.api.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's body while it arrives, never more than its limit: held in memory, streamed to a temp file under the
 * upload directory, or decoded as a multipart form ({@link BodyKind}). A request without a body, or a route that
 * takes none, gets a body that keeps nothing. {@link ApiChannelHandler} owns it for one request and either
 * {@link #take}s it for the route or {@link #discard}s it; either way nothing stays behind in this object.
 */
final class RequestBody {

    private static final Logger LOG = LoggerFactory.getLogger(RequestBody.class);

    /** What the route gets: the bytes (empty unless held in memory), the upload file, the form (or null). */
    record Taken(byte[] bytes, Path file, Form form) {
    }

    private final long limit;
    private long received;
    private CompositeByteBuf memory;
    private Path file;
    private FileChannel fileChannel;
    private MultipartReceiver multipart;

    private RequestBody(long limit) {
        this.limit = limit;
    }

    /**
     * Opens the body of {@code request} as {@code kind} (null or {@link BodyKind#NONE}: keeps nothing). A failure
     * leaves nothing behind: an {@link IOException} (the upload directory) or an {@link ApiException} (a malformed
     * multipart head).
     */
    static RequestBody open(ByteBufAllocator alloc, HttpRequest request, BodyKind kind, long limit,
            ApiServerConfig config) throws IOException {
        RequestBody body = new RequestBody(limit);
        try {
            if (kind == BodyKind.MEMORY) {
                body.memory = alloc.compositeBuffer(Integer.MAX_VALUE);
            } else if (kind == BodyKind.FILE) {
                Files.createDirectories(config.uploadDirectory());
                body.file = Files.createTempFile(config.uploadDirectory(), "upload-", ".part");
                body.fileChannel = FileChannel.open(body.file, StandardOpenOption.WRITE);
            } else if (kind == BodyKind.MULTIPART) {
                Files.createDirectories(config.uploadDirectory());
                body.multipart = new MultipartReceiver(request, config.uploadDirectory(), config.maxUploadBytes());
            }
        } catch (IOException | RuntimeException e) {
            body.discard();
            throw e;
        }
        return body;
    }

    long limit() {
        return limit;
    }

    /**
     * Adds one chunk of the body; false when the body passed its limit (the chunk is not kept; the caller discards
     * the body). An {@link ApiException} says the multipart body is malformed.
     */
    boolean add(HttpContent content) throws IOException {
        ByteBuf data = content.content();
        int n = data.readableBytes();
        if (n > 0) {
            received += n;
            if ((memory != null || fileChannel != null || multipart != null) && received > limit) {
                return false;
            }
            if (memory != null) {
                memory.addComponent(true, data.retain());
            } else if (fileChannel != null) {
                data.readBytes(fileChannel, fileChannel.position(), n);
                fileChannel.position(fileChannel.position() + n);
            }
        }
        if (multipart != null) {
            multipart.offer(content);
        }
        return true;
    }

    /**
     * Hands the complete body over: the upload file and the form's files belong to the caller from here on. An
     * {@link IOException} or {@link ApiException} says the form could not be collected.
     */
    Taken take() throws IOException {
        byte[] bytes = memory == null ? new byte[0] : ByteBufUtil.getBytes(memory);
        Path taken = file;
        Form form = null;
        try {
            if (multipart != null) {
                form = multipart.finish();
            }
        } finally {
            multipart = null;
            if (memory != null) {
                memory.release();
                memory = null;
            }
            closeFileChannel();
            file = null;
        }
        return new Taken(bytes, taken, form);
    }

    /** Drops whatever was received: buffers released, the upload file and the form's parts deleted. */
    void discard() {
        if (multipart != null) {
            multipart.discard();
            multipart = null;
        }
        if (memory != null) {
            memory.release();
            memory = null;
        }
        closeFileChannel();
        deleteQuietly(file);
        file = null;
    }

    private void closeFileChannel() {
        if (fileChannel != null) {
            try {
                fileChannel.close();
            } catch (IOException e) {
                LOG.warn("cannot close upload file {}: {}", file, e.toString());
            }
            fileChannel = null;
        }
    }

    static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot delete upload file {}: {}", p, e.toString());
        }
    }
}
