/** Réglages → Clé de signature. */
export const keysFr = {
  title: 'Clé de signature',
  intro:
    'Ordo signe chaque ordonnance avec votre clé. Sa partie publique et un certificat à votre nom et à votre numéro RPPS permettent à un pharmacien, à l’Assurance Maladie ou à un autre logiciel de vérifier ces signatures : vous pouvez les leur transmettre. La clé privée ne quitte jamais Ordo.',
  keyId: 'Identifiant de la clé',
  keyIdUnknown: 'affiché à l’export (Ordo ouvre alors la clé avec sa phrase de passe)',
  export: 'Exporter la clé publique (certificat)',
  exporting: 'Export en cours…',
  exported: (fileName: string) => `Fichier « ${fileName} » téléchargé : clé publique et certificat.`,
};
