import type { CategoryId } from '../../../core/catalogue';
import { categoryIconUrl } from '../map/icons';
import { useAtlas } from '../store';

/** The category's map marker as a small decorative image (the name is always beside it). */
export function CategoryIcon({ id, size = 22 }: { id: CategoryId; size?: number }) {
  const lang = useAtlas((s) => s.lang);
  return <img className="cat-icon" src={categoryIconUrl(id, lang)} alt="" width={size} height={size} draggable={false} />;
}
