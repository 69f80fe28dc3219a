package dev.kafkastream.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One scrape of a running application's {@code /actuator/prometheus}, over HTTP, parsed
 * into samples: what Prometheus would read.
 *
 * @param samples the samples, in the order of the scrape
 * @param took how long the scrape took
 */
record PrometheusScrape(List<Sample> samples, Duration took) {

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	/**
	 * The arguments that give a test application a web server on a free port with the
	 * Prometheus endpoint exposed.
	 */
	static final String[] WEB_ARGUMENTS = Stream
		.concat(ActuatorHttp.WEB_ARGUMENTS.stream(), Stream.of("--management.endpoints.web.exposure.include=prometheus"))
		.toArray(String[]::new);

	/**
	 * Scrapes the application, failing after the timeout.
	 * @param context the application
	 * @param timeout the longest the scrape may take
	 * @return the scrape
	 */
	static PrometheusScrape of(ConfigurableApplicationContext context, Duration timeout) {
		long start = System.nanoTime();
		ActuatorHttp.Response response = ActuatorHttp.of(context).get("prometheus", timeout);
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return new PrometheusScrape(parse(response.body()), took);
	}

	private static List<Sample> parse(String body) {
		List<Sample> samples = new ArrayList<>();
		for (String line : body.split("\n")) {
			Matcher matcher = SAMPLE.matcher(line);
			if (line.startsWith("#") || !matcher.find()) {
				continue;
			}
			Map<String, String> labels = new LinkedHashMap<>();
			if (matcher.group(2) != null) {
				Matcher label = LABEL.matcher(matcher.group(2));
				while (label.find()) {
					labels.put(label.group(1), label.group(2));
				}
			}
			samples.add(new Sample(matcher.group(1), labels, Double.parseDouble(matcher.group(3))));
		}
		return samples;
	}

	/**
	 * The names of every sample.
	 * @return the names
	 */
	Set<String> names() {
		return this.samples.stream().map(Sample::name).collect(Collectors.toCollection(TreeSet::new));
	}

	/**
	 * The samples of a name whose labels include the given ones.
	 * @param name the name
	 * @param labels label names and values, alternating
	 * @return the samples
	 */
	List<Sample> samples(String name, String... labels) {
		return this.samples.stream().filter((sample) -> sample.name.equals(name) && sample.has(labels)).toList();
	}

	/**
	 * The value of the one sample of a name whose labels include the given ones.
	 * @param name the name
	 * @param labels label names and values, alternating
	 * @return the value
	 */
	double value(String name, String... labels) {
		List<Sample> samples = samples(name, labels);
		assertThat(samples).as(name + " " + List.of(labels)).hasSize(1);
		return samples.get(0).value();
	}

	/**
	 * One sample.
	 *
	 * @param name the metric name
	 * @param labels the labels
	 * @param value the value
	 */
	record Sample(String name, Map<String, String> labels, double value) {

		boolean has(String... labels) {
			for (int i = 0; i + 1 < labels.length; i += 2) {
				if (!labels[i + 1].equals(this.labels.get(labels[i]))) {
					return false;
				}
			}
			return true;
		}

	}

}
