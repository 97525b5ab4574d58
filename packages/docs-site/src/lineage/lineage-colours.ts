/** Fill by layer package; the left band by resource type. Same colours in the legend. */
const layerColours: Record<string, string> = {
  staging: '#d9f0d3',
  intermediate: '#fde8c4',
  marts: '#d4e4f7',
  quality: '#eadcf5',
  business_rules: '#f6d5dc',
};
const spare = ['#e0f2f1', '#fff3e0', '#ede7f6', '#fce4ec', '#f1f8e9', '#e3f2fd'];

export const typeColours: Record<string, string> = {
  source: '#2e7d32',
  seed: '#6d4c41',
  snapshot: '#00838f',
  model: '#1565c0',
  analysis: '#757575',
  exposure: '#c62828',
};

export function layerColour(packageName: string): string {
  const known = layerColours[packageName];
  if (known) return known;
  let hash = 0;
  for (const ch of packageName) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return spare[hash % spare.length] as string;
}
