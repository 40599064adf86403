/** The facility form's fields: names, category, address, hours, capacity, ages, ownership, 普惠, amenities. */
import { AMENITY_KEYS } from '../../../core/api';
import { CATEGORY_IDS, type CategoryId } from '../../../core/catalogue';
import { categoryName, translate, type MessageKey } from '../i18n';
import { useToolT } from './i18n';
import { FIELD_LABEL, type Form, type TextField } from './facilityForm';

type SetField = <K extends keyof Form>(k: K, v: Form[K]) => void;

function TextInput({ k, form, setField, numeric = false }: { k: TextField; form: Form; setField: SetField; numeric?: boolean }) {
  const { t } = useToolT();
  return (
    <div className="tool-field">
      <label htmlFor={`ed-${k}`}>{t(FIELD_LABEL[k])}</label>
      <input
        id={`ed-${k}`}
        value={form[k]}
        inputMode={numeric ? 'decimal' : undefined}
        onChange={(e) => setField(k, e.target.value)}
        required={k === 'name_zh'}
      />
    </div>
  );
}

export function FacilityFields({ form, setField }: { form: Form; setField: SetField }) {
  const { t, lang } = useToolT();
  const input = (k: TextField, numeric = false) => <TextInput k={k} form={form} setField={setField} numeric={numeric} />;
  return (
    <>
      {input('name_zh')}
      {input('name_en')}
      <div className="tool-field">
        <label htmlFor="ed-category">{t('category')}</label>
        <select id="ed-category" value={form.category} onChange={(e) => setField('category', e.target.value as CategoryId)}>
          {CATEGORY_IDS.map((c) => (
            <option key={c} value={c}>
              {categoryName(c, lang)}
            </option>
          ))}
        </select>
      </div>
      {input('address')}
      {input('opening_hours')}
      {input('capacity', true)}
      <div className="tool-field-pair">
        {input('age_min_years', true)}
        {input('age_max_years', true)}
      </div>
      <div className="tool-field-pair">
        <div className="tool-field">
          <label htmlFor="ed-ownership">{t('ownership')}</label>
          <select id="ed-ownership" value={form.ownership} onChange={(e) => setField('ownership', e.target.value as Form['ownership'])}>
            <option value="public">{t('ownPublic')}</option>
            <option value="private">{t('ownPrivate')}</option>
            <option value="unknown">{t('ownUnknown')}</option>
          </select>
        </div>
        <div className="tool-field">
          <label htmlFor="ed-inclusive">{t('inclusive')}</label>
          <select id="ed-inclusive" value={form.inclusive} onChange={(e) => setField('inclusive', e.target.value as Form['inclusive'])}>
            <option value="">{t('incUnknown')}</option>
            <option value="true">{t('incYes')}</option>
            <option value="false">{t('incNo')}</option>
          </select>
        </div>
      </div>
      <fieldset className="tool-amenities">
        <legend>{t('amenities')}</legend>
        {AMENITY_KEYS.map((k) => (
          <label key={k}>
            <input
              type="checkbox"
              checked={!!form.amenities[k]}
              onChange={(e) => setField('amenities', { ...form.amenities, [k]: e.target.checked })}
            />
            <span>{translate(lang, `amenity_${k}` as MessageKey)}</span>
          </label>
        ))}
      </fieldset>
    </>
  );
}
