import { createConnection, type Connection } from 'mysql2/promise';

function serverUrl(): { host: string; port: number; user: string; password: string } {
  return {
    host: process.env['DB_HOST'] ?? '127.0.0.1',
    port: Number(process.env['DB_PORT'] ?? process.env['MARIADB_PORT'] ?? 3306),
    user: process.env['DB_USER'] ?? 'app',
    password: process.env['DB_PASSWORD'] ?? 'app',
  };
}

export function databaseUrl(schema: string): string {
  const s = serverUrl();
  return `mysql://${s.user}:${s.password}@${s.host}:${s.port}/${schema}`;
}

/** Drops and recreates a schema, so every system-test run starts from empty databases. */
export async function recreateDatabase(schema: string): Promise<void> {
  const connection = await createConnection(serverUrl());
  try {
    await connection.query(`drop database if exists \`${schema}\``);
    await connection.query(`create database \`${schema}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
}

export async function withDatabase<T>(schema: string, work: (c: Connection) => Promise<T>): Promise<T> {
  const connection = await createConnection({ ...serverUrl(), database: schema });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}
