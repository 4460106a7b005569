export * from './nik';
export * from './kpj';
