import type { FlowProps } from '../flow-props';

/** Placeholder until the JHT claim panel lands (issue 7). */
export function JhtClaimFlow(props: FlowProps) {
  return <div className="flow" data-flow="jht-claim" data-case={props.caseDoc.id} />;
}
