package dev.kafkastream.source;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Reads timestamps given as epoch milliseconds, as an ISO-8601 instant
 * ({@code 2024-05-01T08:00:00Z}, {@code 2024-05-01T10:00:00+02:00}), or as a local date and
 * time {@code yyyy-MM-dd HH:mm:ss} (or {@code yyyy-MM-ddTHH:mm:ss}) in a time zone.
 */
public final class Timestamps {

	private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	private Timestamps() {
	}

	/**
	 * Parses a timestamp.
	 * @param value the text
	 * @param zone the time zone of a local date and time
	 * @return the timestamp in epoch milliseconds
	 * @throws IllegalArgumentException if the text is none of the accepted forms
	 */
	public static long parse(String value, ZoneId zone) {
		String text = value.trim();
		if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
			try {
				return Long.parseLong(text);
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("'" + value + "' is too large for epoch milliseconds");
			}
		}
		try {
			return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from).toEpochMilli();
		}
		catch (DateTimeException ex) {
			// not an instant: try a local date and time
		}
		for (DateTimeFormatter format : new DateTimeFormatter[] { LOCAL, DateTimeFormatter.ISO_LOCAL_DATE_TIME }) {
			try {
				return LocalDateTime.parse(text, format).atZone(zone).toInstant().toEpochMilli();
			}
			catch (DateTimeException ex) {
				// try the next form
			}
		}
		throw new IllegalArgumentException("'" + value + "' is not a timestamp: use epoch milliseconds, an ISO-8601"
				+ " instant such as 2024-05-01T08:00:00Z, or 'yyyy-MM-dd HH:mm:ss' in the configured time zone");
	}

}
