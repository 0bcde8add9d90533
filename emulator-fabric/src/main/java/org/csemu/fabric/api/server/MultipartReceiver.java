package org.csemu.fabric.api.server;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streams a {@code multipart/form-data} body to disk as it arrives (Netty's decoder, every part on disk under the
 * upload directory), then collects it into a {@link Form}.
 */
final class MultipartReceiver {

    private static final int MAX_FIELDS = 32;
    private static final int MAX_BUFFERED = 64 * 1024;

    private final Path directory;
    private final HttpPostRequestDecoder decoder;

    MultipartReceiver(HttpRequest request, Path directory, long maxPartBytes) {
        this.directory = directory;
        DefaultHttpDataFactory factory = new DefaultHttpDataFactory(true, StandardCharsets.UTF_8);
        factory.setBaseDir(directory.toString());
        factory.setDeleteOnExit(false);
        factory.setMaxLimit(maxPartBytes);
        try {
            this.decoder = new HttpPostRequestDecoder(factory, request, StandardCharsets.UTF_8, MAX_FIELDS, MAX_BUFFERED);
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
            throw ApiException.badRequest("malformed multipart request: " + e.getMessage());
        }
    }

    void offer(HttpContent content) {
        try {
            decoder.offer(content);
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
            throw ApiException.badRequest("malformed multipart body: " + e.getMessage());
        }
    }

    /** Moves the parts to files of their own and releases the decoder. */
    Form finish() throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, Form.FilePart> files = new LinkedHashMap<>();
        try {
            for (InterfaceHttpData data : decoder.getBodyHttpDatas()) {
                String name = data.getName();
                if (fields.containsKey(name) || files.containsKey(name)) {
                    throw ApiException.badRequest("form part '" + name + "' appears twice");
                }
                if (data instanceof FileUpload upload) {
                    Path target = Files.createTempFile(directory, "part-", ".part");
                    if (!upload.renameTo(target.toFile())) {
                        Files.deleteIfExists(target);
                        throw new IOException("cannot move the upload of part '" + name + "' to " + target);
                    }
                    files.put(name, new Form.FilePart(target, upload.getFilename(), upload.getContentType()));
                } else if (data instanceof Attribute attribute) {
                    fields.put(name, attribute.getValue());
                }
            }
            return new Form(fields, files);
        } catch (IOException | RuntimeException e) {
            new Form(Map.of(), files).deleteFiles();
            throw e;
        } finally {
            decoder.destroy();
        }
    }

    void discard() {
        decoder.destroy();
    }
}
