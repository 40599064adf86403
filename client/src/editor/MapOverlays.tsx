/** The tools' map layers in one lazy chunk, rendered as children of `<AtlasMap>`. */
import FeedbackLayer from '../feedback/FeedbackLayer';
import ChoroplethLayer from '../indicators-view/ChoroplethLayer';

export default function MapOverlays() {
  return (
    <>
      <FeedbackLayer />
      <ChoroplethLayer />
    </>
  );
}
