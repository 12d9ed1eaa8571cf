/** Namespaces an edXML package may use (edxml.md §1, §4, §5). */
export const EDXML_NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';
export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const XLINK_NS = 'http://www.w3.org/1999/xlink';
export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** The prefix our writer binds to EDXML_NS, as in the national samples. */
export const EDXML_PREFIX = 'edXML';
