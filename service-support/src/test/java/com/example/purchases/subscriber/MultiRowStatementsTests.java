package com.example.purchases.subscriber;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The statements of many rows, on both databases a subscriber runs on: PostgreSQL (a container,
 * {@code POSTGRES_IMAGE}) and H2 in PostgreSQL mode.
 */
class MultiRowStatementsTests {

	private static final String INSERT = "INSERT INTO event (id, body) VALUES {rows} ON CONFLICT DO NOTHING";

	private static final PostgreSQLContainer postgres = new PostgreSQLContainer(
			DockerImageName.parse(System.getenv().getOrDefault("POSTGRES_IMAGE", "postgres:17"))
				.asCompatibleSubstituteFor("postgres"));

	@BeforeAll
	static void start() {
		postgres.start();
	}

	@AfterAll
	static void stop() {
		postgres.stop();
	}

	static Stream<Named<DataSource>> databases() {
		return Stream.of(
				Named.of("PostgreSQL",
						new DriverManagerDataSource(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword())),
				Named.of("H2", new DriverManagerDataSource(
						"jdbc:h2:mem:multirow;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "")));
	}

	@ParameterizedTest
	@MethodSource("databases")
	void aPollOfNewRowsIsInsertedAndEachOneReportedNew(DataSource database) {
		Database db = new Database(database);
		boolean[] inserted = db.insertNew(rows(1, 2, 3));
		assertThat(inserted).containsExactly(true, true, true);
		assertThat(db.bodies()).containsExactly("body-1", "body-2", "body-3");
	}

	@ParameterizedTest
	@MethodSource("databases")
	void rowsInsertedBeforeOrTwiceInOnePollAreToldFromNewOnes(DataSource database) {
		Database db = new Database(database);
		db.jdbc.update("INSERT INTO event (id, body) VALUES (2, 'first-2'), (4, 'first-4')");
		boolean[] inserted = db.insertNew(List.of(row(1), row(2), row(3), row(4), new Object[] { 3, "again-3" }));
		assertThat(inserted).containsExactly(true, false, true, false, false);
		// The first one applied wins, and nothing is inserted twice.
		assertThat(db.bodies()).containsExactly("body-1", "first-2", "body-3", "first-4");
	}

	@ParameterizedTest
	@MethodSource("databases")
	void morePlaceholdersThanOneStatementTakesAreSplitAcrossStatements(DataSource database) {
		Database db = new Database(database);
		assertThat(db.insertNew(range(0, 5_000))).containsOnly(true).hasSize(5_000);
		// One duplicate in the last statement: the whole poll is told row by row.
		List<Object[]> next = new ArrayList<>(range(5_000, 10_000));
		next.add(row(4_999));
		boolean[] inserted = db.insertNew(next);
		assertThat(Arrays.copyOf(inserted, 5_000)).containsOnly(true);
		assertThat(inserted[5_000]).isFalse();
		assertThat(db.jdbc.queryForObject("SELECT count(*) FROM event", Integer.class)).isEqualTo(10_000);
	}

	@ParameterizedTest
	@MethodSource("databases")
	void executeCountsTheRowsOfEveryStatement(DataSource database) {
		Database db = new Database(database);
		int changed = db.transactions.execute((status) -> MultiRowStatements.execute(db.jdbc,
				"INSERT INTO event (id, body) VALUES {rows}", "(?, ?)",
				range(0, 9_000)));
		assertThat(changed).isEqualTo(9_000);
	}

	@ParameterizedTest
	@MethodSource("databases")
	void insertNewRefusesToRunOutsideATransaction(DataSource database) {
		Database db = new Database(database);
		assertThatIllegalStateException().isThrownBy(() -> MultiRowStatements.insertNew(db.jdbc, INSERT, "(?, ?)",
				rows(1)));
		assertThat(db.bodies()).isEmpty();
	}

	private static List<Object[]> rows(int... ids) {
		return IntStream.of(ids).mapToObj(MultiRowStatementsTests::row).toList();
	}

	private static List<Object[]> range(int from, int to) {
		return IntStream.range(from, to).mapToObj(MultiRowStatementsTests::row).toList();
	}

	private static Object[] row(int id) {
		return new Object[] { id, "body-" + id };
	}

	private static final class Database {

		final JdbcTemplate jdbc;

		final TransactionTemplate transactions;

		Database(DataSource dataSource) {
			this.jdbc = new JdbcTemplate(dataSource);
			this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
			this.jdbc.execute("DROP TABLE IF EXISTS event");
			this.jdbc.execute("CREATE TABLE event (id INT NOT NULL PRIMARY KEY, body VARCHAR(64) NOT NULL)");
		}

		boolean[] insertNew(List<Object[]> rows) {
			return this.transactions.execute((status) -> MultiRowStatements.insertNew(this.jdbc, INSERT, "(?, ?)", rows));
		}

		List<String> bodies() {
			return this.jdbc.queryForList("SELECT body FROM event ORDER BY id", String.class);
		}

	}

}
