package io.safeimport.internal.csv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The bytes under a {@link CsvSource}: read in large blocks and decoded strictly in the operator's
 * encoding into the parser's character buffer, a byte order mark checked at the start. It owns
 * every encoding error ({@code invalid_utf8}, {@code invalid_encoding}, {@code unsupported_encoding})
 * and {@code io_error}, so that {@link CsvSource} is the RFC 4180 state machine over characters.
 * Not thread-safe, except {@link #bytesRead()}.
 */
final class DecodedInput {
    /** Bytes read at a time, and the size of the parser's character buffer. */
    static final int BUFFER_SIZE = 1 << 16;
    private static final String SAVE_AS_UTF8 = "save it as UTF-8, e.g. Excel's \"CSV UTF-8\"";
    /** How many leading bytes are looked at to recognise UTF-16 without a byte order mark. */
    private static final int SNIFF = 16;

    private final InputStream in;
    private final String file;
    private final Charset charset;
    /** The physical line the parser is on, for messages. */
    private final LongSupplier line;

    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_SIZE).flip();
    private boolean inputExhausted;
    private boolean decoderDone;
    /** Where undecodable bytes were found; they are reported once the chars before them are parsed. */
    private long badByteOffset = -1;
    private int badByte;
    private volatile long bytesRead;

    /**
     * @param file    the name used in messages
     * @param charset the file's encoding, as the operator named it
     * @param line    the parser's current physical line, 1-based, for messages
     */
    DecodedInput(InputStream in, String file, Charset charset, LongSupplier line) {
        this.in = in;
        this.file = file;
        this.charset = charset;
        this.line = line;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** How many bytes have been read from the input so far; may be called from any thread. */
    long bytesRead() {
        return bytesRead;
    }

    /** Closes the input stream. */
    void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw ioError(file, 0, e);
        }
    }

    /**
     * Decodes more characters into {@code charView}, from its start; how many, 0 at the end of input.
     * Bytes that do not decode are reported once the characters before them have been returned.
     */
    int decode(CharBuffer charView) {
        if (badByteOffset >= 0) {
            throw invalidUtf8();
        }
        if (decoderDone) {
            return 0;
        }
        charView.clear();
        while (charView.position() == 0) {
            CoderResult result = decoder.decode(bytes, charView, inputExhausted);
            if (result.isError()) {
                badByteOffset = bytesRead - bytes.remaining();
                badByte = bytes.get(bytes.position()) & 0xff;
                if (charView.position() == 0) {
                    throw invalidUtf8();
                }
            } else if (result.isUnderflow()) {
                if (inputExhausted) {
                    decoder.flush(charView);
                    decoderDone = true;
                    break;
                }
                readBytes();
            }
        }
        return charView.position();
    }

    /** Reads more bytes behind those not yet decoded. */
    private void readBytes() {
        bytes.compact();
        try {
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
                inputExhausted = true;
            } else {
                bytes.position(bytes.position() + n);
                bytesRead += n;
            }
        } catch (IOException e) {
            throw ioError(file, line.getAsLong(), e);
        } finally {
            bytes.flip();
        }
    }

    /**
     * Skips a UTF-8 byte order mark, and refuses a file in an encoding it is not read in. Called
     * before the first {@link #decode}.
     *
     * @return whether the operator named UTF-16 or UTF-32: the file is decoded as such, and a
     *         leading U+FEFF it decodes to is the byte order mark, for the caller to drop
     */
    boolean checkByteOrderMark() {
        while (!inputExhausted && bytes.remaining() < SNIFF) {
            readBytes();
        }
        if (wide()) {
            return true;
        }
        boolean utf8 = charset.equals(StandardCharsets.UTF_8);
        if (startsWith(0xEF, 0xBB, 0xBF)) {
            if (!utf8) {
                throw new CsvFormatException(file, 1, "unsupported_encoding", "the file starts with a UTF-8 byte order mark,"
                        + " so it is UTF-8, not " + charset.name() + "; leave out --encoding", null);
            }
            bytes.position(bytes.position() + 3);
        } else if (startsWith(0x00, 0x00, 0xFE, 0xFF)) {
            throw unsupportedEncoding("UTF-32BE");
        } else if (startsWith(0xFF, 0xFE, 0x00, 0x00)) {
            throw unsupportedEncoding("UTF-32LE");
        } else if (startsWith(0xFE, 0xFF)) {
            throw unsupportedEncoding("UTF-16BE");
        } else if (startsWith(0xFF, 0xFE)) {
            throw unsupportedEncoding("UTF-16LE");
        } else if (zeroEveryOtherByte(1)) {
            throw utf16WithoutMark("UTF-16LE");
        } else if (zeroEveryOtherByte(0)) {
            throw utf16WithoutMark("UTF-16BE");
        }
        return false;
    }

    /** Whether the operator named a UTF-16 or UTF-32 encoding, whose bytes the checks below would take for a mistake. */
    private boolean wide() {
        String name = charset.name().toUpperCase(Locale.ROOT);
        return name.startsWith("UTF-16") || name.startsWith("UTF-32");
    }

    /**
     * Whether the first bytes look like UTF-16 of mostly ASCII text: a zero in every other byte from {@code parity}
     * (1 for little-endian, 0 for big-endian) and none in between. UTF-8 text never holds a zero byte but for NUL,
     * which no CSV has; decoded as UTF-8, such a file would read as column names riddled with NULs.
     */
    private boolean zeroEveryOtherByte(int parity) {
        int n = Math.min(bytes.remaining(), SNIFF) & ~1;
        if (n < 2) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            boolean zero = bytes.get(bytes.position() + i) == 0;
            if (zero != (i % 2 == parity)) {
                return false;
            }
        }
        return true;
    }

    private CsvFormatException utf16WithoutMark(String charset) {
        return new CsvFormatException(file, 1, "unsupported_encoding", "the file looks like " + charset
                + " without a byte order mark (every other byte is zero), not " + this.charset.name() + "; " + SAVE_AS_UTF8
                + ", or pass --encoding " + charset + " (Excel's \"Unicode text\" also needs --delimiter tab)", null);
    }

    private boolean startsWith(int... prefix) {
        if (bytes.remaining() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes.get(bytes.position() + i) & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private CsvFormatException unsupportedEncoding(String charset) {
        return new CsvFormatException(file, 1, "unsupported_encoding", "the file is " + charset
                + " (it starts with a " + charset + " byte order mark), not " + this.charset.name() + "; " + SAVE_AS_UTF8
                + ", or pass --encoding " + charset.replaceAll("(BE|LE)$", ""), null);
    }

    private CsvFormatException invalidUtf8() {
        if (!charset.equals(StandardCharsets.UTF_8)) {
            return new CsvFormatException(file, line.getAsLong(), "invalid_encoding", String.format("byte 0x%02X at byte offset %d"
                    + " is not a character of %s, the encoding given with --encoding; check which encoding the file is in",
                    badByte, badByteOffset, charset.name()), null);
        }
        return new CsvFormatException(file, line.getAsLong(), "invalid_utf8", String.format("byte 0x%02X at byte offset %d"
                + " is not valid UTF-8 (the file is probably in a legacy encoding such as Windows-1252); %s, or, if you"
                + " know its encoding, name it with --encoding (e.g. --encoding windows-1252)",
                badByte, badByteOffset, SAVE_AS_UTF8), null);
    }

    /** The {@code io_error} of a file that cannot be opened or read. */
    static CsvFormatException ioError(String file, long line, IOException e) {
        return new CsvFormatException(file, line, "io_error", "cannot read the file ("
                + e.getClass().getSimpleName() + ": " + e.getMessage() + "); check that it exists and is readable", e);
    }
}
