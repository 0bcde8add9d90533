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

    private LibvirtEventLoop() {
    }

    static synchronized void ensureRunning() throws LibvirtException {
        if (thread != null) {
            return;
        }
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
