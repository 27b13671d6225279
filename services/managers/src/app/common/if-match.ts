import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';

/** The ETag of a manager record: its version, as a strong entity tag. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The version a write is based on, from `If-Match` (`"3"`, `W/"3"` or `3`) and/or a `version` body field; when both
 * are given they must agree. Returns undefined when neither is given.
 */
export function expectedVersion(ifMatch: string | string[] | undefined, bodyVersion: number | undefined): number | undefined {
  const header = Array.isArray(ifMatch) ? ifMatch[0] : ifMatch;
  let fromHeader: number | undefined;
  if (header !== undefined && header.trim() !== '') {
    const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
    if (!match) throw new BadRequestException('If-Match must be the version from the ETag, e.g. "3"');
    fromHeader = Number(match[1]);
  }
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) {
    throw new BadRequestException('If-Match and version disagree');
  }
  return fromHeader ?? bodyVersion;
}

/** A PATCH must say which version it is based on, so two admins never overwrite each other silently. */
export function requireExpectedVersion(ifMatch: string | string[] | undefined, bodyVersion: number | undefined): number {
  const version = expectedVersion(ifMatch, bodyVersion);
  if (version === undefined) {
    throw new HttpException('send If-Match: "<version>" (from the ETag) or a version field', HttpStatus.PRECONDITION_REQUIRED);
  }
  return version;
}
