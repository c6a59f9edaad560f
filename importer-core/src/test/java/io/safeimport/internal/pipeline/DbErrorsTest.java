package io.safeimport.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mysql.cj.jdbc.exceptions.CommunicationsException;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.db.DbSettings;
import java.sql.SQLException;
import org.h2.api.ErrorCode;
import org.h2.message.DbException;
import org.junit.jupiter.api.Test;

/** Database errors classified by standard SQLSTATE classes and, where only a vendor's code says it, by its dialect (issue 19). */
class DbErrorsTest {
    private static RuntimeException wrapped(String sqlState) {
        return new RuntimeException(new SQLException("from the server", sqlState));
    }

    @Test
    void postgresqlStatesAreClassified() {
        assertTrue(DbErrors.isConstraintViolation(wrapped("23505")), "unique violation");
        assertTrue(DbErrors.isConstraintViolation(wrapped("23503")), "foreign key violation");
        assertTrue(DbErrors.isDataError(wrapped("22001")), "value too long");
        assertTrue(DbErrors.isConnectionLoss(wrapped("08006")), "connection failure");
        assertTrue(DbErrors.isConnectionLoss(wrapped("57P01")), "terminated by pg_terminate_backend");
        assertFalse(DbErrors.isConnectionLoss(wrapped("57014")), "a cancelled statement keeps its connection");
        assertFalse(DbErrors.isConnectionLoss(wrapped("40P01")), "a deadlock keeps its connection");
        assertFalse(DbErrors.isDataError(wrapped("23505")));
    }

    @Test
    void h2sOwnCodesAreReadOnH2sExceptionsOnly() {
        assertTrue(DbErrors.isConnectionLoss(new RuntimeException(DbException.getJdbcSQLException(ErrorCode.CONNECTION_BROKEN_1, "x"))),
                "H2: connection broken");
        assertTrue(DbErrors.isConnectionLoss(DbException.getJdbcSQLException(ErrorCode.DATABASE_IS_CLOSED)), "H2: database closed");
        assertFalse(DbErrors.isConnectionLoss(new SQLException("another driver's code", "HY000", ErrorCode.CONNECTION_BROKEN_1)),
                "the same number from another driver means nothing");
        assertTrue(DbErrors.isConnectionLoss(new CommunicationsException("link failure", null)), "Connector/J: communications link failure");
    }

    @Test
    void aDatabaseThatDoesNotExistOrALoginRefusedIsSaidSoOnEveryServer() {
        DbSettings pg = new DbSettings("jdbc:postgresql://127.0.0.1:5432/nope", "postgres", null);
        assertTrue(Database.connectionFailure(pg, new SQLException("FATAL: database \"nope\" does not exist", "3D000"))
                .getMessage().contains("does not exist: create it"));
        DbSettings mysql = new DbSettings("jdbc:mysql://127.0.0.1:3306/nope", "root", null);
        assertTrue(Database.connectionFailure(mysql, new SQLException("Unknown database 'nope'", "42000", 1049))
                .getMessage().contains("does not exist: create it"));
        assertTrue(Database.connectionFailure(mysql, new SQLException("Access denied", "28000", 1045))
                .getMessage().contains("refused the login"));
    }
}
