/**
 * The notification routes against a fake notifications service: the caller the gateway sends (every
 * query is scoped by it there), the shapes it answers, what it refuses before asking.
 */
import { randomUUID } from 'node:crypto';
import {
  type AuthenticatedPrincipal,
  CodedError,
  IDENTITY_RPC,
  NOTIFICATIONS_RPC,
  type NotificationDeliveryView,
} from '@prescriptchain/contracts';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/test-app';

const NOW = '2026-11-22T01:02:03.456Z';
const ADMIN_ID = '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';
const OPERATOR_ID = '2b3c4d5e-6f7a-4b2c-9d3e-4f5a6b7c8d9e';
const NOTIFICATION_ID = '3c4d5e6f-7a8b-4c3d-8e4f-5a6b7c8d9e0f';

const PRINCIPALS: Record<string, AuthenticatedPrincipal> = {
  'admin-token': {
    userId: ADMIN_ID,
    role: 'admin',
    status: 'approved',
    clinicIds: [],
    pharmacyId: null,
    via: 'token',
  },
  'operator-token': {
    userId: OPERATOR_ID,
    role: 'pharmacy_operator',
    status: 'approved',
    clinicIds: [],
    pharmacyId: randomUUID(),
    via: 'token',
  },
};
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

const notification = (over: Record<string, unknown> = {}) => ({
  id: NOTIFICATION_ID,
  type: 'proof_reviewed',
  title: 'Proof approved',
  body: 'Order PC-1234 was approved; a settlement is pending.',
  createdAt: NOW,
  readAt: null,
  ...over,
});

const delivery = (over: Partial<NotificationDeliveryView> = {}): NotificationDeliveryView => ({
  id: randomUUID(),
  channel: 'email',
  recipient: 'pharmacy@example.co.nz',
  template: 'settlement_paid',
  status: 'sent',
  attempts: 1,
  sentAt: NOW,
  createdAt: NOW,
  lastError: null,
  ...over,
});

describe('notification routes (fake notifications)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  const sent = (pattern: string) => t.rpc.calls.filter((c) => c.pattern === pattern).at(-1)?.data;
  const asked = (pattern: string) => t.rpc.calls.filter((c) => c.pattern === pattern).length;

  beforeAll(async () => {
    t = await createTestApp();
    t.rpc.replies.set(IDENTITY_RPC.authenticate, (data: { accessToken?: string }) => {
      const found = PRINCIPALS[data.accessToken ?? ''];
      if (!found) throw new CodedError('INVALID_CREDENTIALS');
      return found;
    });
  });
  afterAll(async () => {
    await t?.app.close();
  });

  it("polls the caller's own notifications with lastPolledAt and limit, answering only contract fields", async () => {
    t.rpc.replies.set(NOTIFICATIONS_RPC.poll, {
      notifications: [{ ...notification(), recipientUserId: OPERATOR_ID }],
      unreadCount: 3,
      lastPolledAt: NOW,
    });
    const res = await http()
      .get(`/api/v1/notifications/poll?lastPolledAt=${encodeURIComponent(NOW)}&limit=5`)
      .set(bearer('operator-token'));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ notifications: [notification()], unreadCount: 3, lastPolledAt: NOW });
    expect(sent(NOTIFICATIONS_RPC.poll)).toEqual({
      caller: { userId: OPERATOR_ID, role: 'pharmacy_operator', ip: '127.0.0.1' },
      lastPolledAt: NOW,
      limit: 5,
    });
  });

  it('polls with the default limit and refuses a lastPolledAt that is not a timestamp (422, not asked)', async () => {
    await http().get('/api/v1/notifications/poll').set(bearer('admin-token'));
    expect(sent(NOTIFICATIONS_RPC.poll)).toEqual({
      caller: { userId: ADMIN_ID, role: 'admin', ip: '127.0.0.1' },
      limit: 20,
    });
    const before = asked(NOTIFICATIONS_RPC.poll);
    const res = await http()
      .get('/api/v1/notifications/poll?lastPolledAt=yesterday&limit=500')
      .set(bearer('admin-token'));
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'lastPolledAt',
      'limit',
    ]);
    expect(asked(NOTIFICATIONS_RPC.poll)).toBe(before);
  });

  it('marks a notification read for its recipient with an empty 204', async () => {
    t.rpc.replies.set(NOTIFICATIONS_RPC.markRead, { id: NOTIFICATION_ID, readAt: NOW });
    const res = await http()
      .post(`/api/v1/notifications/${NOTIFICATION_ID}/read`)
      .set(bearer('operator-token'));
    expect([res.status, res.text]).toEqual([204, '']);
    expect(sent(NOTIFICATIONS_RPC.markRead)).toEqual({
      caller: { userId: OPERATOR_ID, role: 'pharmacy_operator', ip: '127.0.0.1' },
      id: NOTIFICATION_ID,
    });
  });

  it("answers someone else's notification with the service's 404", async () => {
    t.rpc.replies.set(NOTIFICATIONS_RPC.markRead, () => {
      throw new CodedError('NOT_FOUND');
    });
    const res = await http()
      .post(`/api/v1/notifications/${NOTIFICATION_ID}/read`)
      .set(bearer('operator-token'));
    expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('lists the delivery log for an admin with its filters and meta.pagination', async () => {
    const failed = delivery({ status: 'failed', attempts: 5, sentAt: null, lastError: 'SMTP 550' });
    t.rpc.replies.set(NOTIFICATIONS_RPC.deliveries, { items: [failed], total: 21 });
    const res = await http()
      .get(
        '/api/v1/admin/notifications/deliveries?recipient=Pharmacy@Example.co.nz&type=settlement_paid&status=failed&page=2',
      )
      .set(bearer('admin-token'));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([failed]);
    expect(res.body.meta.pagination).toEqual({
      page: 2,
      limit: 20,
      total: 21,
      totalPages: 2,
      hasNext: false,
      hasPrev: true,
    });
    expect(sent(NOTIFICATIONS_RPC.deliveries)).toEqual({
      caller: { userId: ADMIN_ID, role: 'admin', ip: '127.0.0.1' },
      recipient: 'Pharmacy@Example.co.nz',
      type: 'settlement_paid',
      status: 'failed',
      page: 2,
      limit: 20,
    });
  });

  it('refuses an unknown delivery type or status with 422 before asking', async () => {
    const before = asked(NOTIFICATIONS_RPC.deliveries);
    const res = await http()
      .get('/api/v1/admin/notifications/deliveries?type=sms&status=bounced')
      .set(bearer('admin-token'));
    expect(res.status).toBe(422);
    expect(asked(NOTIFICATIONS_RPC.deliveries)).toBe(before);
  });
});
