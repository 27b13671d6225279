import { riskAnswersFor } from '@relationship/domain-rules';
import { stringify } from 'csv-stringify/sync';
import type { GeneratedCustomer } from './customers.ts';
import type { GeneratedManager } from './managers.ts';

const list = (values: readonly string[]) => values.join(';');

/** Customers in the profiles import format (`POST /api/profiles/import`). */
export function customersCsv(customers: readonly GeneratedCustomer[]): string {
  return stringify(
    customers.map((c) => ({
      displayName: c.name,
      gender: c.gender,
      birthDate: c.birthDate,
      phone: c.phone,
      email: c.email ?? '',
      nationalIdNumber: c.nationalIdNumber,
      city: c.city,
      homeBranchId: c.homeBranchId,
      preferredLanguage: c.preferredLanguage,
      preferredChannel: c.preferredChannel,
      aumCny: c.aumCny.toFixed(2),
      incomeBand: c.incomeBand,
      activityLevel: c.activityLevel,
      riskAnswers: riskAnswersFor(c.riskLevel).join(''),
      declaredNeeds: list(c.needs),
      interests: list(c.interests),
      consentProfiling: String(c.consentProfiling),
      consentMarketing: String(c.consentMarketing),
      consentDataSharing: 'false',
    })),
    { header: true },
  );
}

/** Managers in the managers import format (`POST /api/managers/import`). */
export function managersCsv(managers: readonly GeneratedManager[]): string {
  return stringify(
    managers.map((m) => ({
      employeeNo: m.employeeNo,
      displayName: m.name,
      branchId: m.branchId,
      title: m.title,
      level: m.level,
      expertise: list(m.expertise),
      certifications: list(m.certifications),
      languages: list(m.languages),
      segmentsServed: list(m.segmentsServed),
      interests: list(m.interests),
      capacity: m.capacity,
      availability: 'active',
      satisfaction: Math.min(5, Math.max(0, m.satisfaction)),
      retention: m.retention,
      aumGrowth: m.aumGrowth,
      email: m.email,
      phone: m.phone,
    })),
    { header: true },
  );
}
