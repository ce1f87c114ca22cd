import { eventually } from '../../../test/support/infra';
import { type IdentityKit, PASSWORD, createIdentityKit, errorKey } from './identity-test-kit';

interface OutboxRow {
  type: string;
  envelope: { type: string; version: number; payload: Record<string, unknown> };
  sent_at: Date | null;
}

describe('identity events through the outbox', () => {
  let kit: IdentityKit;
  const rowsFor = (id: string) =>
    kit.sql<OutboxRow>(
      "SELECT type, envelope, sent_at FROM outbox_message WHERE envelope->'payload'->>'userId' = $1 ORDER BY id",
      [id],
    );

  beforeAll(async () => {
    kit = await createIdentityKit('identity_outbox');
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('writes each state change with its event in one transaction, and relays it after commit', async () => {
    const { user } = await kit.register.execute({
      email: 'events@example.co.nz',
      password: PASSWORD,
      role: 'practitioner',
      fullName: 'Event Person',
      phone: '+64 21 000 1111',
      licenseNumber: 'LIC-EV-1',
    });
    await kit.approve.execute(kit.admin, { userId: user.id });
    const clinic = await kit.createClinic.execute(kit.admin, {
      name: 'Event Clinic',
      address: { street: '4 Karangahape Rd', city: 'Auckland', country: 'NZ', postalCode: '1010' },
      ownerId: user.id,
    });
    await kit.suspend.execute(kit.admin, { userId: user.id });

    const rows = await rowsFor(user.id);
    expect(rows.map((r) => r.type)).toEqual([
      'identity.user.registered',
      'identity.user.approved',
      'identity.clinic.member_added',
      'identity.user.suspended',
    ]);
    expect(rows[0].envelope.payload).toEqual({
      userId: user.id,
      email: 'events@example.co.nz',
      fullName: 'Event Person',
      role: 'practitioner',
      locale: 'en',
      referredByUserId: null,
    });
    // Minimum personal data on the bus: never phones or licence numbers.
    expect(JSON.stringify(rows)).not.toMatch(/000 1111|LIC-EV-1/);
    const [created] = await kit.sql<OutboxRow>(
      "SELECT type, envelope, sent_at FROM outbox_message WHERE type = 'identity.clinic.created' AND envelope->'payload'->>'clinicId' = $1",
      [clinic.id],
    );
    expect(created.envelope.payload).toEqual({ clinicId: clinic.id, name: 'Event Clinic', ownerId: user.id });

    // Kicked after commit, the relay publishes them (with broker confirms) and marks them sent.
    await eventually(async () => (await rowsFor(user.id)).every((r) => r.sent_at !== null), 10_000);
  });

  it('announces a pharmacy operator link', async () => {
    const op = await kit.user('pharmacy_operator');
    await kit.linkOperator.execute(kit.admin, {
      pharmacyId: '7f8e9d0c-1b2a-4c3d-9e8f-7a6b5c4d3e44',
      userId: op.id,
    });
    const [linked] = (await rowsFor(op.id)).filter((r) => r.type === 'identity.pharmacy_operator.linked');
    expect(linked.envelope.payload).toEqual({
      userId: op.id,
      pharmacyId: '7f8e9d0c-1b2a-4c3d-9e8f-7a6b5c4d3e44',
      previousPharmacyId: null,
      linkedBy: kit.admin.userId,
    });
  });

  it('leaves neither the change nor its event behind when the transaction fails after publishing', async () => {
    const { id } = await kit.user('practitioner', { approve: false });
    // Fail the approval's last statement (its audit row), after the event has been written.
    await kit.sql(`CREATE FUNCTION fail_approval_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
    await kit.sql(`CREATE TRIGGER fail_approval_audit BEFORE INSERT ON audit_log FOR EACH ROW
      WHEN (NEW.action = 'user.approved') EXECUTE FUNCTION fail_approval_audit()`);
    try {
      await expect(kit.approve.execute(kit.admin, { userId: id })).rejects.toThrow(/injected failure/);
    } finally {
      await kit.sql('DROP TRIGGER fail_approval_audit ON audit_log');
      await kit.sql('DROP FUNCTION fail_approval_audit()');
    }
    expect((await rowsFor(id)).map((r) => r.type)).toEqual(['identity.user.registered']);
    const [user] = await kit.sql<{ status: string; referral_code: string | null }>(
      'SELECT status, referral_code FROM user_account WHERE id = $1',
      [id],
    );
    expect(user).toEqual({ status: 'pending', referral_code: null });

    // And the same approval goes through once the fault is gone.
    expect(await errorKey(kit.approve.execute(kit.admin, { userId: id }))).toBe('ok');
    expect((await rowsFor(id)).map((r) => r.type)).toEqual([
      'identity.user.registered',
      'identity.user.approved',
    ]);
  });

  it('writes no event for a refused change', async () => {
    const { id } = await kit.user('practitioner');
    expect(await errorKey(kit.approve.execute(kit.admin, { userId: id }))).toBe('CONFLICT');
    expect((await rowsFor(id)).map((r) => r.type)).toEqual([
      'identity.user.registered',
      'identity.user.approved',
    ]);
  });
});
