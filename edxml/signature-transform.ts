import type { CanonicalizationOrTransformationAlgorithm } from 'xml-crypto';
import { ALGORITHMS } from './signature-algorithms';

/**
 * The enveloped-signature transform for edXML. xml-crypto's own transform finds the signature only in the XML-DSig
 * namespace, but the 2016 national samples write an unprefixed `Signature` that falls into the edXML default
 * namespace. Verification has already proved there is exactly one element named Signature, at its fixed place,
 * so removing "the one Signature element" is unambiguous; more than one is refused rather than guessed.
 */
/** xml-crypto's DOM node type (the project compiles without the DOM library). */
type DomNode = Parameters<CanonicalizationOrTransformationAlgorithm['process']>[0];

export class EdxmlEnvelopedSignature implements CanonicalizationOrTransformationAlgorithm {
  process(node: DomNode): DomNode {
    const element = node as unknown as { getElementsByTagNameNS(ns: string, name: string): ArrayLike<XmlNode> };
    const found = Array.from(element.getElementsByTagNameNS('*', 'Signature'));
    if (found.length > 1) throw new Error('more than one Signature element under the signed node');
    found[0]?.parentNode?.removeChild(found[0]);
    return node;
  }

  getAlgorithmName(): string {
    return ALGORITHMS.envelopedSignature;
  }
}

interface XmlNode {
  parentNode: { removeChild(child: XmlNode): unknown } | null;
}
