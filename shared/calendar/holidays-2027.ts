import type { HolidayDecree } from './types';

/**
 * National holidays 2027: PROVISIONAL. The SKB 3 Menteri for 2027 is usually signed in the
 * autumn of the year before and was not available when this list was written. Fixed-date
 * holidays and those computed from Easter are certain; the Islamic, Chinese, Balinese and
 * Buddhist holidays are estimates (`provisional: true`); no joint leave days are listed yet.
 * Replace this list with the decree's when it is published; until then the head adds any joint
 * leave day as a local closure in Settings.
 */
export const HOLIDAYS_2027: HolidayDecree = {
  year: 2027,
  source: 'Sementara: SKB 3 Menteri tentang Hari Libur Nasional dan Cuti Bersama Tahun 2027 belum terbit; tanggal bertanda sementara adalah perkiraan',
  status: 'provisional',
  days: [
    { date: '2027-01-01', kind: 'holiday', name: 'Tahun Baru 2027 Masehi' },
    { date: '2027-01-05', kind: 'holiday', name: 'Isra Mikraj Nabi Muhammad SAW', provisional: true },
    { date: '2027-02-06', kind: 'holiday', name: 'Tahun Baru Imlek 2578 Kongzili', provisional: true },
    { date: '2027-03-09', kind: 'holiday', name: 'Hari Suci Nyepi Tahun Baru Saka 1949', provisional: true },
    { date: '2027-03-10', kind: 'holiday', name: 'Idul Fitri 1448 Hijriah', provisional: true },
    { date: '2027-03-11', kind: 'holiday', name: 'Idul Fitri 1448 Hijriah', provisional: true },
    { date: '2027-03-26', kind: 'holiday', name: 'Wafat Yesus Kristus' },
    { date: '2027-03-28', kind: 'holiday', name: 'Kebangkitan Yesus Kristus (Paskah)' },
    { date: '2027-05-01', kind: 'holiday', name: 'Hari Buruh Internasional' },
    { date: '2027-05-06', kind: 'holiday', name: 'Kenaikan Yesus Kristus' },
    { date: '2027-05-17', kind: 'holiday', name: 'Idul Adha 1448 Hijriah', provisional: true },
    { date: '2027-05-20', kind: 'holiday', name: 'Hari Raya Waisak 2571 BE', provisional: true },
    { date: '2027-06-01', kind: 'holiday', name: 'Hari Lahir Pancasila' },
    { date: '2027-06-06', kind: 'holiday', name: '1 Muharam Tahun Baru Islam 1449 Hijriah', provisional: true },
    { date: '2027-08-15', kind: 'holiday', name: 'Maulid Nabi Muhammad SAW', provisional: true },
    { date: '2027-08-17', kind: 'holiday', name: 'Proklamasi Kemerdekaan Republik Indonesia' },
    { date: '2027-12-25', kind: 'holiday', name: 'Hari Raya Natal' },
  ],
};
