package org.csemu.lb.bench;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import org.csemu.lb.BoundListener;
import org.csemu.lb.ListenerSpec;
import org.csemu.lb.VipLoadBalancer;

/**
 * Runs the VIP load balancer for {@code bench/lb/run.sh}: one TCP listener on 127.0.0.1 forwarding to the given
 * backends, all eligible. Prints {@code READY <port>} when bound, then runs until it is terminated (SIGTERM prints the final counters).
 *
 * <p>Usage: {@code LbBenchMain <listenPort> <eventLoops> <backendPort>...}
 */
public final class LbBenchMain {

    private LbBenchMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 3) {
            System.err.println("usage: LbBenchMain <listenPort> <eventLoops> <backendPort>...");
            System.exit(2);
        }
        int loops = Integer.parseInt(args[1]);
        VipLoadBalancer lb = VipLoadBalancer.start(new VipLoadBalancer.Options(loops, false, true));
        BoundListener l = lb.addListener(ListenerSpec.tcp("bench").port(Integer.parseInt(args[0])).build());
        for (int i = 2; i < args.length; i++) {
            l.addBackend("backend-" + (i - 1), "127.0.0.1", Integer.parseInt(args[i])).setEligible(true);
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stats " + l.stats());
            lb.close();
            done.countDown();
        }));
        System.out.println("READY " + l.port() + " " + lb.transportName() + " loops=" + loops);
        System.out.flush();
        done.await();
    }
}
