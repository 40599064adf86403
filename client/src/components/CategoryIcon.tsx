import type { CategoryId } from '../../../core/catalogue';
import { categoryIconUrl } from '../map/icons';

/** The category's map marker as a small decorative image (the name is always beside it). */
export function CategoryIcon({ id, size = 22 }: { id: CategoryId; size?: number }) {
  return <img className="cat-icon" src={categoryIconUrl(id)} alt="" width={size} height={size} draggable={false} />;
}
