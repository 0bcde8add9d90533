package org.csemu.fabric.image;

/** An image operation was refused or failed; the message says which image, why, and what to do. */
public class ImageException extends Exception {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
