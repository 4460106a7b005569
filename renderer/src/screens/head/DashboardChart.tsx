import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface ChartSeries {
  key: string;
  name: string;
  color: string;
}

export interface ChartProps {
  data: ReadonlyArray<Record<string, string | number | null>>;
  /** The category field (hour label, reason code, officer). */
  xKey: string;
  series: readonly ChartSeries[];
  /** Horizontal bars for long category names (reasons, officers). */
  horizontal?: boolean;
}

/**
 * One bar chart (loaded on demand: recharts is large and only the dashboard needs it). It is a
 * picture for sighted users: the section gives it a text summary and a data table, so the SVG
 * itself is hidden from assistive tech and keeps no keyboard stop (accessibilityLayer off).
 */
export default function DashboardChart({ data, xKey, series, horizontal = false }: ChartProps) {
  const height = horizontal ? Math.max(160, 48 * data.length + 60) : 260;
  return (
    <div className="head-chart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={data} layout={horizontal ? 'vertical' : 'horizontal'} accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#d5dbe1" />
          {horizontal ? (
            <>
              <XAxis type="number" allowDecimals={false} stroke="#5a6773" />
              <YAxis type="category" dataKey={xKey} width={200} stroke="#5a6773" tick={{ fontSize: 12 }} />
            </>
          ) : (
            <>
              <XAxis dataKey={xKey} stroke="#5a6773" />
              <YAxis allowDecimals={false} stroke="#5a6773" />
            </>
          )}
          <Tooltip />
          <Legend />
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
