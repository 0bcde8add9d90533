package org.csemu.fabric.vm;

import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt delivers events only while its event loop runs, and the loop must be registered before a connection is
 * opened. One daemon thread per JVM runs it for every connection.
 */
final class LibvirtEventLoop {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtEventLoop.class);
    private static Thread thread;
    /**
     * libvirt prints every error to stderr by default (e.g. each lookup of a domain that does not exist yet); the
     * same error reaches the caller as a LibvirtException, so the print is only noise. Held strongly: JNA callbacks
     * must not be garbage collected while native code may call them.
     */
    private static final org.libvirt.jna.Libvirt.VirErrorCallback QUIET_ERRORS =
            (userData, error) -> LOG.debug("libvirt: {}", error == null ? "?" : error.message);

    private LibvirtEventLoop() {
    }

    static synchronized void ensureRunning() throws LibvirtException {
        if (thread != null) {
            return;
        }
        org.libvirt.Connect.setErrorCallback(QUIET_ERRORS);
        Library.initEventLoop();
        thread = new Thread(() -> {
            try {
                Library.runEventLoop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (LibvirtException e) {
                LOG.error("libvirt event loop stopped: {}", e.getMessage(), e);
            }
        }, "libvirt-event-loop");
        thread.setDaemon(true);
        thread.start();
    }
}
