package org.csemu.core.parse;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The chain of open elements while parsing, so a schema error can say where it is in words ("in WorkerRole
 * 'Worker'") and not only by line and column.
 */
final class ElementPath {

    /**
     * One open element: its local name, its identifying attribute (name, roleName, ...) or null, and the local name of
     * the sibling element that ended just before it started (null for a first child), so an order error can say what
     * it came after.
     */
    record Step(String localName, String identity, String previousSibling) {
        @Override
        public String toString() {
            return identity == null ? localName : localName + " '" + identity + "'";
        }
    }

    private static final String[] IDENTITY_ATTRIBUTES = {"name", "roleName", "moduleName", "commandLine", "serviceName"};

    private final Deque<Step> open = new ArrayDeque<>();
    /** Per open element (same order as {@link #open}), the local name of its last child that ended, or "" for none. */
    private final Deque<String> lastChild = new ArrayDeque<>();

    void push(String localName, org.xml.sax.Attributes attributes) {
        String identity = null;
        for (String attribute : IDENTITY_ATTRIBUTES) {
            String value = attributes.getValue("", attribute);
            if (value != null) {
                identity = value.length() > 60 ? value.substring(0, 57) + "..." : value;
                break;
            }
        }
        String previous = lastChild.isEmpty() || lastChild.peek().isEmpty() ? null : lastChild.peek();
        open.push(new Step(localName, identity, previous));
        lastChild.push("");
    }

    void pop() {
        Step ended = open.pop();
        lastChild.pop();
        if (!lastChild.isEmpty()) {
            lastChild.pop();
            lastChild.push(ended.localName());
        }
    }

    int depth() {
        return open.size();
    }

    /** The innermost role element (WebRole, WorkerRole, VirtualMachineRole, or cscfg Role), or null. */
    Step enclosingRole() {
        for (Step step : open) {
            String n = step.localName();
            if (n.equals("WebRole") || n.equals("WorkerRole") || n.equals("VirtualMachineRole") || n.equals("Role")) {
                return step;
            }
        }
        return null;
    }

    /** The element at the top (the one being started or ended), or null. */
    Step current() {
        return open.peek();
    }

    /** The parent of the current element, or null. */
    Step parent() {
        Iterator<Step> it = open.iterator();
        if (!it.hasNext()) {
            return null;
        }
        it.next();
        return it.hasNext() ? it.next() : null;
    }
}
