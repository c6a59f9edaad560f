package io.safeimport.bench;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Minimal RFC 4180 writing and streaming reading, enough for the generator (no dependency on the product). */
final class Csv {
    private Csv() {}

    /** Appends one field, quoting it only when needed (comma, quote, CR/LF, surrounding blanks); quotes are doubled. */
    static void field(StringBuilder sb, String v) {
        if (v == null || v.isEmpty()) {
            return;
        }
        boolean quote = Character.isWhitespace(v.charAt(0)) || Character.isWhitespace(v.charAt(v.length() - 1));
        for (int i = 0; i < v.length() && !quote; i++) {
            char c = v.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            sb.append(v);
            return;
        }
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"') {
                sb.append('"');
            }
            sb.append(c);
        }
        sb.append('"');
    }

    /** Appends a whole record terminated by LF. */
    static void record(StringBuilder sb, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            field(sb, fields.get(i));
        }
        sb.append('\n');
    }

    /** Streaming reader: one record at a time; quoted fields may hold commas, doubled quotes and line breaks. */
    static final class RecordReader implements Closeable {
        private final java.io.Reader in;
        private final char[] buf = new char[1 << 16];
        private int pos;
        private int len;
        private boolean first = true;
        private long line = 1;

        RecordReader(java.io.Reader in) {
            this.in = in;
        }

        private int read() throws IOException {
            if (pos == len) {
                len = in.read(buf, 0, buf.length);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    return -1;
                }
            }
            return buf[pos++];
        }

        private int peek() throws IOException {
            int c = read();
            if (c >= 0) {
                pos--;
            }
            return c;
        }

        long line() {
            return line;
        }

        /** Next record, or null at end of input. */
        List<String> next() throws IOException {
            int c = read();
            if (first) {
                first = false;
                if (c == '\uFEFF') {
                    c = read();
                }
            }
            if (c < 0) {
                return null;
            }
            List<String> out = new ArrayList<>(16);
            StringBuilder f = new StringBuilder(32);
            boolean quoted = false;
            boolean wasQuoted = false;
            while (true) {
                if (quoted) {
                    if (c < 0) {
                        throw new IOException("unbalanced quote near line " + line);
                    }
                    if (c == '"') {
                        if (peek() == '"') {
                            read();
                            f.append('"');
                        } else {
                            quoted = false;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        f.append((char) c);
                    }
                } else if (c == '"' && f.length() == 0 && !wasQuoted) {
                    quoted = true;
                    wasQuoted = true;
                } else if (c == ',') {
                    out.add(f.toString());
                    f.setLength(0);
                    wasQuoted = false;
                } else if (c == '\r' || c == '\n' || c < 0) {
                    if (c == '\r' && peek() == '\n') {
                        read();
                    }
                    if (c >= 0) {
                        line++;
                    }
                    out.add(f.toString());
                    return out;
                } else {
                    f.append((char) c);
                }
                c = read();
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    static RecordReader reader(java.io.Reader in) {
        return new RecordReader(in);
    }
}
