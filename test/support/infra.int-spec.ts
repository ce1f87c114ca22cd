import { Client } from 'pg';
import { createTestDatabase, createTestVhost } from './infra';

describe('per-suite test infrastructure', () => {
  it('creates a database that accepts connections and drops it again', async () => {
    const db = await createTestDatabase('infra');
    const c = new Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query('select current_database() as name');
    await c.end();
    expect(rows[0].name).toBe(db.name);
    await db.drop();
    const admin = new Client({ connectionString: db.url.replace(db.name, 'postgres') });
    await admin.connect();
    const left = await admin.query('select 1 from pg_database where datname = $1', [db.name]);
    await admin.end();
    expect(left.rowCount).toBe(0);
  });

  it('creates a vhost the guest user may use', async () => {
    const vhost = await createTestVhost('infra');
    const amqp = await import('amqplib');
    const conn = await amqp.connect(vhost.url);
    const ch = await conn.createChannel();
    const q = await ch.assertQueue('', { exclusive: true });
    expect(q.queue).toMatch(/^amq\.gen/);
    await conn.close();
    await vhost.drop();
  });
});
