import i18next, { type TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { DEFAULT_RECEIPT_CONFIG } from '@shared/cases/config';
import type { Receipt } from '@shared/cases/receipt';
import { INFO_TOPICS } from '@shared/policy/info';
import type { QrImage } from './qr';
import type { PrintDoc } from './types';
import { formatClock, formatDay, formatInstantClock, formatInstantDay } from '@shared/i18n/format';
import { pendingReasonFor } from '@shared/policy/pending';
import { branchZone } from '../data/branch-zone';

// Printed documents are for the person, so they are always in Indonesian first, whatever the
// screen's language, with English as a smaller second line where it helps.
const tId = (): TFunction => i18next.getFixedT('id');
const tEn = (): TFunction => i18next.getFixedT('en');

// Dates and times on paper come from shared/i18n/format, in the branch's zone (the profile's; WIB
// until known): "Senin, 21 Desember 2026", and times the Indonesian way, "08.30".
function formatDate(iso: string, lang: 'id' | 'en'): string {
  return formatInstantDay(iso, lang, branchZone());
}

/** The time of an instant in an Indonesian sentence: "08.30". */
function formatTime(iso: string): string {
  return formatInstantClock(iso, 'id', branchZone());
}

/** A calendar day (YYYY-MM-DD, no time zone), e.g. "Kamis, 26 November 2026". */
function formatCalendarDate(day: string, lang: 'id' | 'en'): string {
  return formatDay(day, lang);
}

/** Indonesian line, with the English one below it in small print. */
function Bi({ id, en, as = 'p', className }: { id: ReactNode; en: ReactNode; as?: 'p' | 'h2' | 'h3' | 'div'; className?: string }) {
  const Tag = as;
  return (
    <Tag className={className}>
      <span className="print-doc__id">{id}</span> <span className="print-doc__en" lang="en">{en}</span>
    </Tag>
  );
}

function Header({ branch, title }: { branch: { code: string; name: string }; title: { id: string; en: string } }) {
  return (
    <header className="print-doc__header">
      <p className="print-doc__agency">BPJS Ketenagakerjaan</p>
      <p className="print-doc__branch">
        {branch.name} ({branch.code})
      </p>
      <Bi as="h2" className="print-doc__title" id={title.id} en={title.en} />
    </header>
  );
}

function Complaints({ channels }: { channels: Receipt['complaintChannels'] }) {
  return (
    <section className="print-doc__section print-doc__complaints">
      <Bi as="h3" id={tId()('print.complaints')} en={tEn()('print.complaints')} />
      <ul>
        {channels.map((c) => (
          <li key={c.name}>
            <strong>{c.name}</strong>: {c.contact}
          </li>
        ))}
      </ul>
      <Bi className="print-doc__small" id={tId()('print.free')} en={tEn()('print.free')} />
    </section>
  );
}

function Row({ label, children }: { label: { id: string; en: string }; children: ReactNode }) {
  return (
    <div className="print-doc__row">
      <dt>
        {label.id} <span className="print-doc__en" lang="en">{label.en}</span>
      </dt>
      <dd>{children}</dd>
    </div>
  );
}

// Keys built from a document's kind or service; the print section of both dictionaries has them all.
type LooseT = (key: string, options?: Record<string, unknown>) => string;
const both = (key: string, opts?: Record<string, unknown>) => ({
  id: (tId() as unknown as LooseT)(key, opts),
  en: (tEn() as unknown as LooseT)(key, opts),
});

function TicketDoc({ doc }: { doc: Extract<PrintDoc, { kind: 'ticket' }> }) {
  const t = doc.ticket;
  const ahead = doc.ahead === 0 ? both('print.ticket.aheadNone') : both('print.ticket.ahead', { count: doc.ahead });
  return (
    <>
      <Header branch={doc.branch} title={both('print.ticket.title')} />
      <p className="print-doc__number" data-testid="print-number">
        {t.number}
      </p>
      <Bi className="print-doc__service" id={tId()(`print.services.${t.service}`)} en={tEn()(`print.services.${t.service}`)} />
      <p className="print-doc__small">{tId()('print.ticket.issuedAt', { date: formatDate(t.issuedAt, 'id'), time: formatTime(t.issuedAt) })}</p>
      <section className="print-doc__section print-doc__wait">
        <Bi id={ahead.id} en={ahead.en} />
        <Bi className="print-doc__strong" id={tId()('print.ticket.wait', { count: doc.waitMinutes })} en={tEn()('print.ticket.wait', { count: doc.waitMinutes })} />
        <Bi className="print-doc__small" id={tId()('print.ticket.waitNote')} en={tEn()('print.ticket.waitNote')} />
      </section>
      <Bi className="print-doc__small" id={tId()('print.ticket.personal')} en={tEn()('print.ticket.personal')} />
      <Complaints channels={doc.complaintChannels ?? DEFAULT_RECEIPT_CONFIG.complaintChannels} />
    </>
  );
}

/** Issue 16: the person declined the ticket or appointment; they keep what was offered and what they were told. */
function DeclinedDoc({ doc }: { doc: Extract<PrintDoc, { kind: 'declined' }> }) {
  const offered =
    doc.offered.kind === 'ticket'
      ? both('print.declined.offeredTicket', { count: doc.offered.waitMinutes, ahead: doc.offered.ahead })
      : doc.offered.appointment
        ? both('print.declined.offeredAppointment', { date: formatCalendarDate(doc.offered.appointment.date, 'id'), time: doc.offered.appointment.time })
        : both('print.declined.offeredAppointmentNone');
  return (
    <>
      <Header branch={doc.branch} title={both('print.declined.title')} />
      <dl className="print-doc__rows">
        <Row label={both('print.appointment.service')}>{tId()(`print.services.${doc.service}`)}</Row>
        <Row label={both('print.receipt.issued')}>{tId()('print.ticket.issuedAt', { date: formatDate(doc.at, 'id'), time: formatTime(doc.at) })}</Row>
        <Row label={both('print.appointment.reference')}>{doc.reference}</Row>
      </dl>
      <section className="print-doc__section">
        <Bi as="h3" id={tId()('print.declined.offered')} en={tEn()('print.declined.offered')} />
        <Bi id={offered.id} en={offered.en} />
      </section>
      <section className="print-doc__section" data-testid="print-declined-info">
        <Bi as="h3" id={tId()('print.declined.info')} en={tEn()('print.declined.info')} />
        {doc.info.length === 0 ? <Bi id={tId()('print.declined.infoNone')} en={tEn()('print.declined.infoNone')} /> : null}
        {doc.info.map((topic) => (
          <div key={topic} className="print-doc__info">
            <p className="print-doc__strong">{INFO_TOPICS[topic].question.id}</p>
            <p>{INFO_TOPICS[topic].answer.id}</p>
          </div>
        ))}
      </section>
      <Bi className="print-doc__strong" id={tId()('print.declined.right')} en={tEn()('print.declined.right')} />
      <Complaints channels={doc.complaintChannels ?? DEFAULT_RECEIPT_CONFIG.complaintChannels} />
    </>
  );
}

function AppointmentDoc({ doc, qr }: { doc: Extract<PrintDoc, { kind: 'appointment' }>; qr: QrImage | null }) {
  return (
    <>
      <Header branch={doc.branch} title={both('print.appointment.title')} />
      <Bi as="div" className="print-doc__banner" id={tId()('print.appointment.guaranteed')} en={tEn()('print.appointment.guaranteed')} />
      <dl className="print-doc__rows">
        <Row label={both('print.appointment.date')}>
          <span className="print-doc__big">{formatCalendarDate(doc.appointment.date, 'id')}</span>
        </Row>
        <Row label={both('print.appointment.time')}>
          <span className="print-doc__big">{formatClock(doc.appointment.time, 'id')}</span>
        </Row>
        <Row label={both('print.appointment.service')}>{tId()(`print.services.${doc.service}`)}</Row>
        <Row label={both('print.appointment.reference')}>{doc.ticketId}</Row>
      </dl>
      {/* A later date the person asked for is theirs, not the branch's earliest slot: the slip says so. */}
      {doc.appointment.chosenByPerson ? <Bi id={tId()('print.appointment.chosenByPerson')} en={tEn()('print.appointment.chosenByPerson')} /> : null}
      <Bi id={tId()('print.appointment.instructions')} en={tEn()('print.appointment.instructions')} />
      {/* Issue 21: the reference as a QR, scanned at the door to check the holder in (no personal data in it). */}
      {qr ? <img className="print-doc__qr" src={qr.src} alt={tId()('print.appointment.reference')} width={qr.px} height={qr.px} /> : null}
      <p className="print-doc__small">{tId()('print.appointment.issuedAt', { date: formatDate(doc.issuedAt, 'id'), time: formatTime(doc.issuedAt) })}</p>
      <Complaints channels={doc.complaintChannels ?? DEFAULT_RECEIPT_CONFIG.complaintChannels} />
    </>
  );
}

const rupiah = (n: number): string => `Rp${String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;

/** Issue 16: the amount paid in this claim and the tax on the lump sum, for information. */
function LumpSum({ info }: { info: NonNullable<Receipt['lumpSum']> }) {
  const rule = { freeUpTo: rupiah(info.freeUpTo), percent: String(info.percentAbove).replace('.', ',') };
  return (
    <section className="print-doc__section" data-testid="print-lump-sum">
      <Bi as="h3" id={tId()('print.receipt.lumpSumTitle')} en={tEn()('print.receipt.lumpSumTitle')} />
      <dl className="print-doc__rows">
        <Row label={both('print.receipt.amountPaid')}>{rupiah(info.amount)}</Row>
        <Row label={both('print.receipt.tax')}>{rupiah(info.tax)}</Row>
      </dl>
      <Bi className="print-doc__small" id={tId()('print.receipt.taxRule', rule)} en={tEn()('print.receipt.taxRule', { ...rule, percent: String(info.percentAbove) })} />
    </section>
  );
}

/** Issue 16 pt 14: the receipt the general-service (information) desk promises, printed when the ticket is done. */
function ServedDoc({ doc }: { doc: Extract<PrintDoc, { kind: 'served' }> }) {
  return (
    <>
      <Header branch={doc.branch} title={both('print.receipt.titles.completion')} />
      <dl className="print-doc__rows">
        <Row label={both('print.ticket.title')}>
          <strong className="print-doc__case">{doc.ticketNumber}</strong>
        </Row>
        <Row label={both('print.receipt.service')}>{tId()(`print.services.${doc.service}`)}</Row>
        <Row label={both('print.receipt.issued')}>
          {formatDate(doc.at, 'id')}, {formatTime(doc.at)}
        </Row>
        <Row label={both('print.receipt.officer')}>{doc.officerName}</Row>
      </dl>
      <section className="print-doc__section">
        <Bi as="h3" id={tId()('print.receipt.nextStep')} en={tEn()('print.receipt.nextStep')} />
        <Bi id={tId()('print.served.done')} en={tEn()('print.served.done')} />
      </section>
      <Complaints channels={doc.complaintChannels ?? DEFAULT_RECEIPT_CONFIG.complaintChannels} />
    </>
  );
}

/** A KPJ's outcome in words (also used by the on-screen receipt at the desk). */
export function outcomeText(o: NonNullable<Receipt['kpjOutcomes']>[number]['outcome'], lang: 'id' | 'en'): string {
  const t = lang === 'id' ? tId() : tEn();
  switch (o.kind) {
    case 'paid':
      return t('print.receipt.paid');
    case 'merged':
      return t('print.receipt.merged', { into: o.into });
    case 'pending':
      // The catalog's words for the reason (since issue 16 a code); older free text as written.
      return t('print.receipt.pending', { reason: pendingReasonFor(o.reason)?.title[lang] ?? o.reason, date: formatCalendarDate(o.followUpOn, lang) });
    case 'paidBefore':
      return t('print.receipt.paidBefore', { date: formatCalendarDate(o.paidOn, lang), reference: o.reference });
  }
}

function ReceiptDoc({ doc, qr }: { doc: Extract<PrintDoc, { kind: 'receipt' }>; qr: QrImage | null }) {
  const r = doc.receipt;
  const refusal = r.kind === 'refusalSlip' ? r.refusal : undefined;
  return (
    <>
      <Header branch={doc.branch} title={both(`print.receipt.titles.${r.kind}`)} />
      <dl className="print-doc__rows">
        <Row label={both('print.receipt.caseNumber')}>
          <strong className="print-doc__case" data-testid="print-case">
            {r.caseId}
          </strong>
        </Row>
        <Row label={both('print.receipt.service')}>{tId()(`print.services.${r.flow}`)}</Row>
        <Row label={both('print.receipt.issued')}>
          {formatDate(r.issuedAt, 'id')}, {formatTime(r.issuedAt)}
        </Row>
        {/* The officer's name; their login id only when the name is not known on this PC. */}
        <Row label={both('print.receipt.officer')}>{doc.officerName ?? r.issuedBy}</Row>
      </dl>
      {refusal ? (
        <section className="print-doc__section">
          <Bi as="h3" id={tId()('print.receipt.refusalReason')} en={tEn()('print.receipt.refusalReason')} />
          {/* The reason in words only: the code is for the head's screens, not for the person. */}
          <Bi className="print-doc__strong" id={refusal.title.id} en={refusal.title.en} />
        </section>
      ) : null}
      <section className="print-doc__section">
        <Bi
          as="h3"
          id={tId()(refusal ? 'print.receipt.refusalTodo' : 'print.receipt.nextStep')}
          en={tEn()(refusal ? 'print.receipt.refusalTodo' : 'print.receipt.nextStep')}
        />
        <p className="print-doc__next">{r.nextStep.id}</p>
        <p className="print-doc__en print-doc__en--block" lang="en">
          {r.nextStep.en}
        </p>
      </section>
      {refusal ? <Bi className="print-doc__notice" id={tId()('print.receipt.headReview')} en={tEn()('print.receipt.headReview')} /> : null}
      {r.kpjOutcomes && r.kpjOutcomes.length > 0 ? (
        <section className="print-doc__section">
          <Bi as="h3" id={tId()('print.receipt.kpjTitle')} en={tEn()('print.receipt.kpjTitle')} />
          <table className="print-doc__table">
            <thead>
              <tr>
                <th scope="col">{tId()('print.receipt.kpj')}</th>
                <th scope="col">{tId()('print.receipt.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {r.kpjOutcomes.map((k) => (
                <tr key={k.kpj}>
                  <td className="print-doc__mono">{k.kpj}</td>
                  <td>
                    {outcomeText(k.outcome, 'id')}
                    <span className="print-doc__en print-doc__en--block" lang="en">
                      {outcomeText(k.outcome, 'en')}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {r.lumpSum ? <LumpSum info={r.lumpSum} /> : null}
      <section className="print-doc__section print-doc__survey">
        <Bi as="h3" id={tId()('print.receipt.survey')} en={tEn()('print.receipt.survey')} />
        <p className="print-doc__url">{r.surveyUrl}</p>
        {qr ? <img className="print-doc__qr" src={qr.src} alt={tId()('print.receipt.qrAlt', { caseId: r.caseId })} width={qr.px} height={qr.px} /> : null}
        <Bi className="print-doc__small" id={tId()('print.receipt.surveyHint')} en={tEn()('print.receipt.surveyHint')} />
      </section>
      <Complaints channels={r.complaintChannels} />
    </>
  );
}

/** One printable document, laid out for a receipt printer (about 72 mm) and fine on A6/A4. */
export function PrintableDocument({ doc, qr, sample }: { doc: PrintDoc; qr: QrImage | null; sample?: boolean }) {
  return (
    <article className="print-doc" data-print-kind={doc.kind === 'receipt' ? doc.receipt.kind : doc.kind} lang="id">
      {sample ? <p className="print-doc__sample">{tId()('print.test.sample')}</p> : null}
      {doc.kind === 'ticket' ? <TicketDoc doc={doc} /> : null}
      {doc.kind === 'appointment' ? <AppointmentDoc doc={doc} qr={qr} /> : null}
      {doc.kind === 'declined' ? <DeclinedDoc doc={doc} /> : null}
      {doc.kind === 'receipt' ? <ReceiptDoc doc={doc} qr={qr} /> : null}
      {doc.kind === 'served' ? <ServedDoc doc={doc} /> : null}
    </article>
  );
}
