package org.csemu.fabric.instance;

import org.csemu.fabric.agent.AgentMessage;
import org.csemu.fabric.agent.AgentMessage.Header;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csemu.fabric.instance.InstancePhase.*;

class PhaseTableTest {

    static Header h(String type) {
        return new Header(1, type, "b", 1);
    }

    static final AgentMessage M_HELLO = new AgentMessage.Hello(h("hello"), "a", "i", true);
    static final AgentMessage M_SETUP_RESTART = new AgentMessage.Setup(h("setup"), "applied", true);
    static final AgentMessage M_SETUP_NO_RESTART = new AgentMessage.Setup(h("setup"), "applied", false);
    static final AgentMessage M_TASK_STARTED = new AgentMessage.Task(h("task"), 0, "c", "simple", "started", null, null);
    static final AgentMessage M_TASK_FAILED = new AgentMessage.Task(h("task"), 0, "c", "simple", "failed", 7, "boom");
    static final AgentMessage M_SERVICE = new AgentMessage.Service(h("service"), "s", "started", 5L, null);
    static final AgentMessage M_READY = new AgentMessage.Status(h("status"), "Ready", null);
    static final AgentMessage M_BUSY = new AgentMessage.Status(h("status"), "Busy", "warming");
    static final AgentMessage M_RECYCLE = new AgentMessage.Status(h("status"), "Recycle", null);
    static final AgentMessage M_HB_READY = new AgentMessage.Heartbeat(h("heartbeat"), "Ready");
    static final AgentMessage M_HB_BUSY = new AgentMessage.Heartbeat(h("heartbeat"), "Busy");
    static final AgentMessage M_LOG = new AgentMessage.Log(h("log"), "info", "x");

    @Test
    void theBootSequenceLeadsToReady() {
        InstancePhase p = STARTING_VM;
        for (AgentMessage m : new AgentMessage[] {M_HELLO, M_SETUP_RESTART}) {
            p = PhaseTable.next(p, m);
        }
        assertThat(p).isEqualTo(SETUP_RESTART);
        assertThat(PhaseTable.next(BOOTING, M_SETUP_NO_RESTART)).isEqualTo(BOOTING);
        assertThat(PhaseTable.next(BOOTING, M_TASK_STARTED)).isEqualTo(RUNNING_TASKS);
        assertThat(PhaseTable.next(RUNNING_TASKS, M_SERVICE)).isEqualTo(STARTING_SERVICES);
        assertThat(PhaseTable.next(STARTING_SERVICES, M_READY)).isEqualTo(READY);
        assertThat(PhaseTable.next(STARTING_SERVICES, M_LOG)).isEqualTo(STARTING_SERVICES);
    }

    @Test
    void failuresAreStickyUntilTheNextHello() {
        assertThat(PhaseTable.next(RUNNING_TASKS, M_TASK_FAILED)).isEqualTo(FAILED_TASK);
        assertThat(PhaseTable.next(FAILED_TASK, M_SERVICE)).isEqualTo(FAILED_TASK);
        assertThat(PhaseTable.next(FAILED_TASK, M_READY)).isEqualTo(FAILED_TASK);
        assertThat(PhaseTable.next(FAILED_TASK, M_TASK_STARTED)).isEqualTo(FAILED_TASK);
        assertThat(PhaseTable.next(FAILED_TASK, M_HELLO)).isEqualTo(BOOTING);
        assertThat(PhaseTable.next(AGENT_TIMEOUT, M_HELLO)).isEqualTo(BOOTING);
    }

    @Test
    void readyAndBusyFollowStatusAndHeartbeats() {
        assertThat(PhaseTable.next(READY, M_BUSY)).isEqualTo(InstancePhase.BUSY);
        assertThat(PhaseTable.next(InstancePhase.BUSY, M_HB_READY)).isEqualTo(READY);
        assertThat(PhaseTable.next(READY, M_HB_BUSY)).isEqualTo(InstancePhase.BUSY);
        assertThat(PhaseTable.next(READY, M_RECYCLE)).isEqualTo(READY);
        assertThat(PhaseTable.next(READY, M_SERVICE)).isEqualTo(READY);
        assertThat(PhaseTable.next(BOOTING, M_HB_READY)).isEqualTo(READY); // adopted after a daemon restart
        assertThat(PhaseTable.next(FAILED_TASK, M_HB_READY)).isEqualTo(FAILED_TASK);
        assertThat(PhaseTable.next(STOPPING, M_HB_READY)).isEqualTo(STOPPING);
    }

    @Test
    void nothingMovesAStoppedOrDeletedInstance() {
        for (AgentMessage m : new AgentMessage[] {M_HELLO, M_READY, M_TASK_FAILED, M_HB_READY}) {
            assertThat(PhaseTable.next(STOPPED, m)).isEqualTo(STOPPED);
            assertThat(PhaseTable.next(DELETED, m)).isEqualTo(DELETED);
        }
    }

    @Test
    void settledMeansReadyOrFailure() {
        assertThat(READY.isSettled()).isTrue();
        assertThat(FAILED_TASK.isSettled()).isTrue();
        assertThat(AGENT_TIMEOUT.isSettled()).isTrue();
        assertThat(CRASHED.isSettled()).isTrue();
        assertThat(READY_TIMEOUT.isSettled()).isTrue();
        assertThat(BOOTING.isSettled()).isFalse();
        assertThat(SETUP_RESTART.isSettled()).isFalse();
    }
}
