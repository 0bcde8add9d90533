package org.csemu.lb.remote;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The control channel's encoding: one line per message, tab-separated tokens. The API's records
 * ({@code ListenerSpec}, {@code ListenerStats}, ...) are written component by component in declaration order, so
 * their canonical constructors (and their checks) run again on the other side. Strings are percent-escaped; a
 * nullable record is preceded by {@code +} or {@code -}; a list by its size.
 */
final class Wire {

    private Wire() {
    }

    static String line(Object... parts) {
        StringBuilder b = new StringBuilder();
        for (Object p : parts) {
            if (!b.isEmpty()) {
                b.append('\t');
            }
            write(b, p, p == null ? String.class : p.getClass());
        }
        return b.toString();
    }

    static Iterator<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        for (String t : line.split("\t", -1)) {
            out.add(unescape(t));
        }
        return out.iterator();
    }

    @SuppressWarnings("unchecked")
    static <T> T read(Iterator<String> in, Class<T> type) {
        return (T) read(in, (Type) type);
    }

    private static void write(StringBuilder b, Object v, Type type) {
        Class<?> raw = raw(type);
        if (raw.isRecord()) {
            b.append(v == null ? "-" : "+");
            if (v == null) {
                return;
            }
            for (RecordComponent c : raw.getRecordComponents()) {
                b.append('\t');
                try {
                    write(b, c.getAccessor().invoke(v), c.getGenericType());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        } else if (List.class.isAssignableFrom(raw)) {
            List<?> list = (List<?>) v;
            b.append(list.size());
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            for (Object e : list) {
                b.append('\t');
                write(b, e, element);
            }
        } else if (v == null) {
            b.append('\u0000');
        } else if (v instanceof Duration d) {
            b.append(d.toNanos());
        } else if (v instanceof Instant i) {
            b.append(i.getEpochSecond()).append('.').append(i.getNano());
        } else if (v instanceof Enum<?> e) {
            b.append(e.name());
        } else {
            b.append(escape(v.toString()));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object read(Iterator<String> in, Type type) {
        Class<?> raw = raw(type);
        if (raw.isRecord()) {
            if (in.next().equals("-")) {
                return null;
            }
            RecordComponent[] cs = raw.getRecordComponents();
            Object[] args = new Object[cs.length];
            Class<?>[] types = new Class<?>[cs.length];
            for (int i = 0; i < cs.length; i++) {
                args[i] = read(in, cs[i].getGenericType());
                types[i] = cs[i].getType();
            }
            try {
                Constructor<?> ctor = raw.getDeclaredConstructor(types);
                return ctor.newInstance(args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        if (List.class.isAssignableFrom(raw)) {
            int n = Integer.parseInt(in.next());
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(read(in, element));
            }
            return List.copyOf(out);
        }
        String t = in.next();
        if (t.equals("\u0000")) {
            return null;
        }
        if (raw == String.class) {
            return t;
        } else if (raw == int.class || raw == Integer.class) {
            return Integer.parseInt(t);
        } else if (raw == long.class || raw == Long.class) {
            return Long.parseLong(t);
        } else if (raw == boolean.class || raw == Boolean.class) {
            return Boolean.parseBoolean(t);
        } else if (raw == Duration.class) {
            return Duration.ofNanos(Long.parseLong(t));
        } else if (raw == Instant.class) {
            int dot = t.indexOf('.');
            return Instant.ofEpochSecond(Long.parseLong(t.substring(0, dot)), Long.parseLong(t.substring(dot + 1)));
        } else if (raw.isEnum()) {
            return Enum.valueOf((Class) raw, t);
        }
        throw new IllegalArgumentException("no wire form for " + raw);
    }

    private static Class<?> raw(Type t) {
        return t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) t;
    }

    private static String escape(String s) {
        return s.replace("%", "%25").replace("\t", "%09").replace("\n", "%0A").replace("\r", "%0D");
    }

    private static String unescape(String s) {
        return s.indexOf('%') < 0 ? s
                : s.replace("%0D", "\r").replace("%0A", "\n").replace("%09", "\t").replace("%25", "%");
    }
}
