import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { DateTime } from './ui';

/** In-app notifications, polled every 15 s for every role (GET /notifications/poll). */
export function Notifications() {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const poll = useQuery({
    queryKey: ['notifications'],
    refetchInterval: 15_000,
    queryFn: async () => unwrap(await api.GET('/api/v1/notifications/poll', { params: { query: { limit: 20 } } })),
  });
  const read = useMutation({
    mutationFn: async (id: string) => {
      const r = await api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } });
      if (!r.response.ok) throw new Error(String(r.response.status));
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  });
  const unread = poll.data?.unreadCount ?? 0;
  return (
    <div className="notifications">
      <button type="button" aria-expanded={open} aria-controls="notification-list" onClick={() => setOpen(!open)}>
        {t('notifications')} <span className="badge">{t('unreadCount', { n: unread })}</span>
      </button>
      {open && (
        <section id="notification-list" className="popover" aria-label={t('notifications')}>
          {poll.data?.notifications.length ? (
            <ul>
              {poll.data.notifications.map((n) => (
                <li key={n.id} className={n.readAt ? 'read' : 'unread'}>
                  <strong>{n.title}</strong>
                  <p>{n.body}</p>
                  <DateTime iso={n.createdAt} />
                  {!n.readAt && (
                    <button type="button" onClick={() => read.mutate(n.id)}>
                      {t('markRead')}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('noNotifications')}</p>
          )}
        </section>
      )}
    </div>
  );
}
