import type { HolidayDecree } from './types';

/**
 * National holidays and joint leave days (cuti bersama) 2026.
 *
 * Source: Surat Keputusan Bersama (SKB) Menteri Agama, Menteri Ketenagakerjaan dan Menteri
 * Pendayagunaan Aparatur Negara dan Reformasi Birokrasi tentang Hari Libur Nasional dan Cuti
 * Bersama Tahun 2026, signed in September 2025 (17 holidays, 8 joint leave days). The decree's
 * number and exact signing date, and every date below, were written here from memory and are not
 * verified (status 'unverified', also said in `source`, which the head reads in Settings): check
 * them against the published decree; the dates of the Islamic holidays follow
 * the decree's list, which the government may move after the isbat session.
 */
export const HOLIDAYS_2026: HolidayDecree = {
  year: 2026,
  source:
    'SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB tentang Hari Libur Nasional dan Cuti Bersama Tahun 2026 (ditandatangani September 2025). Belum diverifikasi: nomor, tanggal SKB dan daftar tanggal ditulis dari ingatan dan belum dicocokkan dengan SKB yang terbit; periksa dan tambahkan perbedaan sebagai hari tutup cabang',
  status: 'unverified',
  days: [
    { date: '2026-01-01', kind: 'holiday', name: 'Tahun Baru 2026 Masehi' },
    { date: '2026-01-16', kind: 'holiday', name: 'Isra Mikraj Nabi Muhammad SAW' },
    { date: '2026-02-16', kind: 'jointLeave', name: 'Cuti bersama Tahun Baru Imlek 2577 Kongzili' },
    { date: '2026-02-17', kind: 'holiday', name: 'Tahun Baru Imlek 2577 Kongzili' },
    { date: '2026-03-18', kind: 'jointLeave', name: 'Cuti bersama Hari Suci Nyepi Tahun Baru Saka 1948' },
    { date: '2026-03-19', kind: 'holiday', name: 'Hari Suci Nyepi Tahun Baru Saka 1948' },
    { date: '2026-03-20', kind: 'jointLeave', name: 'Cuti bersama Idul Fitri 1447 Hijriah' },
    { date: '2026-03-21', kind: 'holiday', name: 'Idul Fitri 1447 Hijriah' },
    { date: '2026-03-22', kind: 'holiday', name: 'Idul Fitri 1447 Hijriah' },
    { date: '2026-03-23', kind: 'jointLeave', name: 'Cuti bersama Idul Fitri 1447 Hijriah' },
    { date: '2026-03-24', kind: 'jointLeave', name: 'Cuti bersama Idul Fitri 1447 Hijriah' },
    { date: '2026-04-03', kind: 'holiday', name: 'Wafat Yesus Kristus' },
    { date: '2026-04-05', kind: 'holiday', name: 'Kebangkitan Yesus Kristus (Paskah)' },
    { date: '2026-05-01', kind: 'holiday', name: 'Hari Buruh Internasional' },
    { date: '2026-05-14', kind: 'holiday', name: 'Kenaikan Yesus Kristus' },
    { date: '2026-05-15', kind: 'jointLeave', name: 'Cuti bersama Kenaikan Yesus Kristus' },
    { date: '2026-05-27', kind: 'holiday', name: 'Idul Adha 1447 Hijriah' },
    { date: '2026-05-28', kind: 'jointLeave', name: 'Cuti bersama Idul Adha 1447 Hijriah' },
    { date: '2026-05-31', kind: 'holiday', name: 'Hari Raya Waisak 2570 BE' },
    { date: '2026-06-01', kind: 'holiday', name: 'Hari Lahir Pancasila' },
    { date: '2026-06-16', kind: 'holiday', name: '1 Muharam Tahun Baru Islam 1448 Hijriah' },
    { date: '2026-08-17', kind: 'holiday', name: 'Proklamasi Kemerdekaan Republik Indonesia' },
    { date: '2026-08-25', kind: 'holiday', name: 'Maulid Nabi Muhammad SAW' },
    { date: '2026-12-24', kind: 'jointLeave', name: 'Cuti bersama Hari Raya Natal' },
    { date: '2026-12-25', kind: 'holiday', name: 'Hari Raya Natal' },
  ],
};
