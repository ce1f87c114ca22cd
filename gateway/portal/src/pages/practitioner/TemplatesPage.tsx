import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, expectOk, unwrap } from '../../api/client';
import { ErrorMessage, Loading } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { navigate } from '../../router';
import { PAD_TEMPLATE_KEY } from './PadPage';

/** The practitioner's own templates: start the pad from one, or delete it. (Saving is on the pad.) */
export function TemplatesPage() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const templates = useQuery({
    queryKey: ['templates'],
    queryFn: async () => unwrap(await api.GET('/api/v1/prescription-templates', { params: { query: { limit: 100 } } })),
  });
  const remove = useMutation({
    mutationFn: async (id: string) => expectOk(await api.DELETE('/api/v1/prescription-templates/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['templates'] }),
  });
  if (templates.isPending) return <Loading />;
  if (templates.error) return <ErrorMessage error={templates.error} />;
  return (
    <>
      <h1>{t('navTemplates')}</h1>
      {templates.data.length === 0 && <p>{t('noTemplates')}</p>}
      <ul className="cards">
        {templates.data.map((tpl) => (
          <li key={tpl.id} className="card">
            <h2>{tpl.name}</h2>
            <p lang="zh-Hans">{tpl.items.map((i) => `${i.medicine.name} ${i.quantity}${i.medicine.unit}`).join('，')}</p>
            <button
              type="button"
              className="primary"
              onClick={() => {
                sessionStorage.setItem(PAD_TEMPLATE_KEY, JSON.stringify(tpl));
                navigate('/practitioner/pad');
              }}
            >
              {t('useTemplate', { name: tpl.name })}
            </button>{' '}
            <button type="button" className="danger" onClick={() => remove.mutate(tpl.id)}>
              {t('deleteTemplate', { name: tpl.name })}
            </button>
          </li>
        ))}
      </ul>
      <ErrorMessage error={remove.error} />
    </>
  );
}
