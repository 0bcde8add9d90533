package org.csemu.fabric.deployment;

import org.csemu.fabric.lifecycle.Trigger;

/**
 * The in-flight step of an instance, written to the desired state BEFORE the runtime is called, so a daemon killed
 * in the middle knows what to finish (a reimage whose overlay is gone is completed, a delete is completed, a
 * half-created instance is created).
 *
 * @param trigger the operation or healing trigger that started the work
 * @param step    what was about to be done: {@code boot:<reason>}, {@code shutdown}, {@code delete}
 */
public record Intent(String operationId, Trigger trigger, String step) {
}
